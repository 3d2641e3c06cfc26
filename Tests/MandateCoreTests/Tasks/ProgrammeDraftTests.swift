import MandateCore
import Testing

/// A programme as the committee defines it: every field checked, in both languages, and an edit
/// keeps the orientations its tasks name.
@Suite struct ProgrammeDraftTests {
    static func draft(
        code: String = "CDS-HN", start: Int = 2026, end: Int = 2030, date: String = "2026-01-15",
        orientations: [Orientation] = [
            Orientation(number: 1, titleVi: "Hạ tầng số", titleEn: "Digital infrastructure"),
            Orientation(number: 2, titleVi: "Dữ liệu số", titleEn: ""),
        ]
    ) -> ProgrammeDraft {
        ProgrammeDraft(
            code: code, nameVi: " Kế hoạch chuyển đổi số ", nameEn: "Digital transformation plan",
            legalBasis: .init(title: "Kế hoạch của UBND thành phố", number: "15/KH-UBND", date: date),
            startYear: start, endYear: end, orientations: orientations)
    }

    @Test func aGoodDraftMakesAProgramme() throws {
        let programme = try Self.draft().programme()
        #expect(programme.code == "CDS-HN" && programme.nameVi == "Kế hoạch chuyển đổi số")
        #expect(programme.legalBasis?.number == "15/KH-UBND" && programme.legalBasis?.date.description == "2026-01-15")
        #expect(programme.startYear == 2026 && programme.endYear == 2030 && programme.archivedAt == nil)
        #expect(programme.orientations.map(\.number) == [1, 2])
        #expect(programme.orientations[1].title(in: .en) == "Dữ liệu số")
        #expect(Programme.open([programme]) == ["CDS-HN": [1, 2]])
        var archived = programme
        archived.archivedAt = "2026-12-07T00:00:00.000Z"
        #expect(Programme.open([archived]).isEmpty)
    }

    @Test func everyBadFieldIsNamedInBothLanguages() throws {
        let bad = Self.draft(
            code: "bad code", start: 2031, end: 2030, date: "15/01/2026",
            orientations: [
                Orientation(number: 1, titleVi: "A", titleEn: ""), Orientation(number: 1, titleVi: "", titleEn: ""),
            ])
        let failure = try #require(throws: ValidationFailure.self) { try bad.programme() }
        #expect(
            Set(failure.errors.compactMap(\.column)) == ["code", "legalBasis.date", "endYear", "orientations"])
        #expect(failure.errors.allSatisfy { $0.vietnamese != nil && $0.vietnamese != $0.reason })
    }

    @Test func anEditKeepsTheOrientationsTasksName() throws {
        let fewer = Self.draft(orientations: [Orientation(number: 1, titleVi: "Hạ tầng số", titleEn: "")])
        #expect(try fewer.programme(used: [1]).orientations.count == 1)
        let failure = try #require(throws: ValidationFailure.self) { try fewer.programme(used: [1, 2]) }
        #expect(failure.errors.map(\.reason) == ["tasks fall under orientation 2; it stays"])
    }
}
