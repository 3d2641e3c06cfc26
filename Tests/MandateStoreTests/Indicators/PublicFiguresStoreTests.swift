import MandateCore
import MandateStore
import Testing

/// The public figures as the store reads them (`PublicFigure`: a unit's own approved value, else
/// the roll-up below it), and the rankings that take them as input.
@Suite struct PublicFiguresStoreTests {
    /// Hà Nội (01) reported 99 itself, above its communes 00004 (10) and 00008 (5); Thành phố Hồ Chí
    /// Minh (79) reported nothing itself, above its commune 25747 (20); Đà Nẵng (48) has a draft only.
    static func load(_ store: Store) async throws {
        try await store.indicators.save(Fixture.all)
        _ = try await store.values.submit(
            [
                Fixture.input("BB", "00004", "2025", "10"), Fixture.input("BB", "00008", "2025", "5"),
                Fixture.input("BB", "25747", "2025", "20"), Fixture.input("BB", "01", "2025", "99"),
                Fixture.input("BB", "00004", "2024", "3"),
            ], by: Fixture.approved)
        _ = try await store.values.submit([Fixture.input("BB", "48", "2025", "7")], by: Fixture.draft)
    }

    @Test(arguments: TestDatabase.available)
    func aUnitsFigureIsItsOwnValueElseItsRollup(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Self.load(store)
            let figures = try await store.values.figures(
                of: Fixture.broadband, units: ["01", "79", "48", "00004", "BCD"], periods: ["2025"])
            #expect(
                figures == [
                    "01": ["2025": PublicFigure(value: 99, source: .own)],
                    "79": ["2025": PublicFigure(value: 20, source: .rollup)],
                    "00004": ["2025": PublicFigure(value: 10, source: .own)],
                    // The nation: 10 + 5 + 20 from the communes (the province's own 99 stands beside).
                    "BCD": ["2025": PublicFigure(value: 35, source: .rollup)],
                ])
            // Every period when none is named; a draft is no figure.
            let hanoi = try await store.values.figures(of: Fixture.broadband, units: ["01"], periods: [])
            #expect(
                hanoi == [
                    "01": [
                        "2024": PublicFigure(value: 3, source: .rollup), "2025": PublicFigure(value: 99, source: .own),
                    ]
                ])
        }
    }

    /// A province without a value of its own is ranked on the roll-up of its communes' values, as
    /// its page and the API show it.
    @Test(arguments: TestDatabase.available)
    func aRankingTakesEachUnitsPublicFigure(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Self.load(store)
            let method = RankingMethod(
                id: "bb", version: 1, nameVi: "BB", nameEn: "BB", unitKind: .province,
                pillars: [
                    RankingMethod.Pillar(
                        code: "P", nameVi: "p", nameEn: "p", weight: 1,
                        components: [RankingMethod.Component(code: "BB", source: .indicator("BB"))])
                ], uncertainty: .init(draws: 20))
            let computer = store.rankingComputer(today: { CivilDate(year: 2026, month: 12, day: 5)! })
            let computed = try await computer.compute(method, period: try Period("2025"), previous: nil)
            let rows = computed.inputsCSV.split(separator: "\n").filter { $0.contains(",2025,") }
            #expect(rows == ["BB,01,2025,99", "BB,79,2025,20"])
        }
    }
}
