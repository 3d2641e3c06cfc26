import Testing

@testable import MandateCore

/// Every state a key can be in × every kind of arrival, with what the lifecycle must do, written
/// out by hand from docs/INDICATORS.md rather than from the implementation.
@Suite struct ValueLifecycleTests {
    typealias Step = ValueLifecycle.Step
    static let key = DataValueKey(indicator: "BB", unit: "00004", period: "2025")
    /// The approved (or draft) value, and a correction of it.
    static let stored = ValueContent(value: 7, comment: "đã kiểm tra")
    static let correction = ValueContent(value: 9, comment: "sửa")

    /// A value entered: a comment left out (nil) keeps the stored one, a blank one clears it.
    static func entry(_ value: Double, comment: String? = nil, approved: Bool = false) -> ValueLifecycle.Arrival {
        .entry(CheckedValue(key: key, value: value, comment: comment, evidence: nil), approved: approved)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let stored: ValueLifecycle.Stored
        let arrival: ValueLifecycle.Arrival
        let expected: Step
        let why: String
        var testDescription: String { why }
    }

    static let draft = ValueLifecycle.Stored.draft(stored)
    static let approved = ValueLifecycle.Stored.approved(stored, correction: nil)
    static let corrected = ValueLifecycle.Stored.approved(stored, correction: correction)

    static let cases: [Case] = [
        // Nothing stored.
        Case(stored: .nothing, arrival: entry(7), expected: .created(.draft), why: "a first draft"),
        Case(
            stored: .nothing, arrival: entry(7, approved: true), expected: .created(.approved),
            why: "a first approved entry or import"),
        Case(stored: .nothing, arrival: .approval, expected: .unchanged, why: "nothing to approve"),
        // A draft.
        Case(stored: draft, arrival: entry(7), expected: .unchanged, why: "the same draft again"),
        Case(
            stored: draft, arrival: entry(12),
            expected: .replaced(.init(value: 12, comment: "đã kiểm tra"), status: .draft, setsCorrectionAside: false),
            why: "a new draft replaces the draft; the comment left out is kept"),
        Case(
            stored: draft, arrival: entry(7, comment: ""),
            expected: .replaced(.init(value: 7), status: .draft, setsCorrectionAside: false),
            why: "a blank comment clears it"),
        Case(
            stored: draft, arrival: entry(7, approved: true), expected: .approved,
            why: "an approved entry of the same content approves the draft as it stands"),
        Case(
            stored: draft, arrival: entry(12, approved: true),
            expected: .replaced(
                .init(value: 12, comment: "đã kiểm tra"), status: .approved, setsCorrectionAside: false),
            why: "an approved entry of a new content replaces the draft, approved"),
        Case(stored: draft, arrival: .approval, expected: .approved, why: "the head approves the draft"),
        // An approved value, nothing waiting.
        Case(stored: approved, arrival: entry(7), expected: .unchanged, why: "the approved value entered again"),
        Case(
            stored: approved, arrival: entry(12),
            expected: .correctionWaits(.init(value: 12, comment: "đã kiểm tra"), replacesCorrection: false),
            why: "a draft correction waits beside the approved value"),
        Case(
            stored: approved, arrival: entry(7, approved: true), expected: .unchanged,
            why: "the same approved content again"),
        Case(
            stored: approved, arrival: entry(12, approved: true),
            expected: .replaced(
                .init(value: 12, comment: "đã kiểm tra"), status: .approved, setsCorrectionAside: false),
            why: "an approved correction replaces the value"),
        Case(stored: approved, arrival: .approval, expected: .unchanged, why: "nothing waits to be approved"),
        // An approved value with a correction waiting.
        Case(
            stored: corrected, arrival: entry(9), expected: .unchanged,
            why: "the waiting correction entered again (its comment kept)"),
        Case(
            stored: corrected, arrival: entry(7, comment: "đã kiểm tra"), expected: .correctionWithdrawn,
            why: "the approved content entered again withdraws the correction"),
        Case(
            stored: corrected, arrival: entry(7),
            expected: .correctionWaits(.init(value: 7, comment: "sửa"), replacesCorrection: true),
            why: "the approved number with the correction's comment (left out, so kept) is a new correction"),
        Case(
            stored: corrected, arrival: entry(12),
            expected: .correctionWaits(.init(value: 12, comment: "sửa"), replacesCorrection: true),
            why: "a second correction takes the first one's place"),
        Case(
            stored: corrected, arrival: entry(7, approved: true), expected: .unchanged,
            why: "the approved content imported again changes nothing, the correction included"),
        Case(
            stored: corrected, arrival: entry(12, approved: true),
            expected: .replaced(.init(value: 12, comment: "đã kiểm tra"), status: .approved, setsCorrectionAside: true),
            why: "an approved entry replaces the value and sets the correction aside"),
        Case(
            stored: corrected, arrival: .approval, expected: .correctionApproved,
            why: "the head approves the correction"),
    ]

    @Test(arguments: cases)
    func eachArrivalDoesWhatTheLifecycleSays(_ example: Case) {
        #expect(ValueLifecycle.step(example.stored, example.arrival) == example.expected, "\(example.why)")
    }

    /// The table holds every stored state with every kind of arrival.
    @Test func theTableCoversEveryStateAndArrival() {
        func state(_ stored: ValueLifecycle.Stored) -> String {
            switch stored {
            case .nothing: "nothing"
            case .draft: "draft"
            case .approved(_, nil): "approved"
            case .approved(_, .some): "corrected"
            }
        }
        func kind(_ arrival: ValueLifecycle.Arrival) -> String {
            switch arrival {
            case .entry(_, approved: false): "draft entry"
            case .entry(_, approved: true): "approved entry"
            case .approval: "approval"
            }
        }
        let covered = Set(Self.cases.map { "\(state($0.stored)) + \(kind($0.arrival))" })
        var all: Set<String> = []
        for stored in ["nothing", "draft", "approved", "corrected"] {
            for arrival in ["draft entry", "approved entry", "approval"] { all.insert("\(stored) + \(arrival)") }
        }
        #expect(covered == all)
    }

    @Test func aStoredValueIsSeenWithItsCorrection() {
        var value = DataValue(
            indicator: "BB", unit: "00004", period: "2025", value: 7, comment: "đã kiểm tra", status: .approved,
            enteredBy: nil, enteredAt: "2026-01-10T08:00:00.000Z", firstReportedAt: "2026-01-10T08:00:00.000Z",
            late: false)
        #expect(ValueLifecycle.Stored(nil) == .nothing)
        #expect(ValueLifecycle.Stored(value) == Self.approved)
        value.pending = PendingCorrection(
            value: 9, comment: "sửa", evidence: nil, enteredBy: "u", enteredAt: "2026-01-11T08:00:00.000Z")
        #expect(ValueLifecycle.Stored(value) == Self.corrected)
        value.status = .draft
        value.pending = nil
        #expect(ValueLifecycle.Stored(value) == Self.draft)
    }

    /// Lateness is the timeliness rule: a first report on the due date is on time, the day after
    /// it late; unreported, it is missing once the due date has passed.
    @Test(arguments: [
        ("2026-04-30", Timeliness.onTime), ("2026-05-01", .late), ("2026-03-31", .onTime), ("2027-01-01", .late),
    ])
    func aFirstReportIsLateAfterTheDueDate(day: String, expected: Timeliness) throws {
        let march = try Period("202603")
        let reported = try #require(CivilDate(iso: day))
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: reported) == expected)
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: reported, today: reported) == expected)
    }
}
