import Testing

@testable import MandateCore

/// Who signs off as they write, and who is shown what awaits sign-off, for a proposal or a
/// recommendation of 01 (Hà Nội), whose commune is 00004: written out by hand.
@Suite struct SignOffTests {
    static let paths: [String: UnitPath] = [
        "01": UnitPath(["01", "BCD"]), "00004": UnitPath(["00004", "01", "BCD"]), "48": UnitPath(["48", "BCD"]),
        "BCD": UnitPath(["BCD"]),
    ]

    @Test func onlyTheUnitsHeadOrAnAdministratorSignsOffAsItWrites() {
        let unit = Self.paths["01"]!
        #expect(SignOff.isImmediate(writer: .user(role: .unitHead, unit: "01"), unit: unit))
        #expect(SignOff.isImmediate(writer: .token(role: .unitHead, unit: "01"), unit: unit))
        #expect(SignOff.isImmediate(writer: .user(role: .admin, unit: "BCD"), unit: unit))
        #expect(!SignOff.isImmediate(writer: .user(role: .unitReporter, unit: "01"), unit: unit))
        #expect(!SignOff.isImmediate(writer: .user(role: .committeeAnalyst, unit: "BCD"), unit: unit))
        #expect(!SignOff.isImmediate(writer: .user(role: .unitHead, unit: "48"), unit: unit))
        #expect(!SignOff.isImmediate(writer: .anonymous, unit: unit))
    }

    @Test func whatAwaitsSignOffIsShownInsideTheUnitAndAboveIt() {
        let readers: [(Principal, Set<String>)] = [
            (.anonymous, []),
            (.user(role: .unitReporter, unit: "01"), ["01", "00004"]),
            (.user(role: .viewer, unit: "01"), ["01", "00004"]),
            (.user(role: .unitHead, unit: "00004"), ["00004"]),
            (.user(role: .unitReporter, unit: "48"), ["48"]),
            (.user(role: .committeeAnalyst, unit: "BCD"), ["01", "00004", "48", "BCD"]),
            (.token(role: .viewer, unit: "BCD"), ["01", "00004", "48", "BCD"]),
        ]
        for (reader, expected) in readers {
            #expect(SignOff.unsignedShown(to: reader, of: Self.paths) == expected, "\(reader)")
            for (code, path) in Self.paths {
                #expect(SignOff.shows(signedOff: true, unit: path, to: reader))
                #expect(SignOff.shows(signedOff: false, unit: path, to: reader) == expected.contains(code))
            }
        }
    }

    @Test func aRecommendationIsAnsweredAndAgedOnlyOnceSignedOff() {
        var recommendation = Recommendation(
            id: "k1", fromUnit: "01", toUnit: "BCD", title: "t", body: "", due: CivilDate(iso: "2026-03-01")!,
            raisedBy: "u", raisedAt: "2026-01-01T08:00:00.000Z")
        #expect(recommendation.answerRefusal?.reason == "recommendation k1 awaits the sign-off of its unit's head")
        #expect(recommendation.signOffRefusal == nil)
        #expect(recommendation.age(today: CivilDate(iso: "2026-01-11")!) == 10)
        recommendation.signedOffAt = "2026-01-06T08:00:00.000Z"
        #expect(recommendation.answerRefusal == nil)
        #expect(recommendation.signOffRefusal?.reason == "recommendation k1 was already signed off")
        #expect(recommendation.age(today: CivilDate(iso: "2026-01-11")!) == 5)
        // The public board lists only what is signed off.
        var unsigned = recommendation
        unsigned.id = "k2"
        unsigned.signedOffAt = nil
        let board = EscalationBoard.build(
            tasks: [], returned: [], recommendations: [recommendation, unsigned],
            today: CivilDate(iso: "2026-01-11")!)
        #expect(board.unansweredRecommendations.map(\.id) == ["k1"])
    }
}
