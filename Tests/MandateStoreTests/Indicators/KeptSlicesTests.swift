import MandateCore
import SQLKit
import Testing

@testable import MandateStore

/// The slices of public figures one repository keeps follow the writes another instance makes on
/// the same database, and are read again only when a write moved them.
@Suite struct KeptSlicesTests {
    static let periods = ["2025", "2024"]

    /// The slices as a repository that keeps nothing yet reads them.
    static func fresh(_ store: Store, _ indicator: Indicator) async throws -> [String: [String: PublicFigure]] {
        try await SQLDataValueRepository(database: store.database).slices(of: indicator, periods: periods)
    }

    @Test(arguments: TestDatabase.available)
    func aKeptSliceFollowsEveryWriteThatMovesItsFigures(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let reader = SQLDataValueRepository(database: store.database)
            let writer = store.values
            func check(_ comment: Comment) async throws {
                for code in ["BB", "ONLINE", "POP"] {
                    let indicator = try #require(try await store.indicators.get(code: code))
                    let kept = try await reader.slices(of: indicator, periods: Self.periods)
                    let fresh = try await Self.fresh(store, indicator)
                    #expect(kept == fresh, "\(code): \(comment)")
                    // The public slice of approved values, whole and a page of it.
                    let query = ValueQuery(indicators: [code], periods: Self.periods)
                    let rows = try await SQLDataValueRepository(database: store.database).list(query)
                    #expect(try await reader.list(query) == rows, "\(code) values: \(comment)")
                    let page = ValueQuery(indicators: [code], periods: Self.periods, limit: 2, offset: 1)
                    #expect(try await reader.list(page) == Array(rows.dropFirst(1).prefix(2)), "\(code) page")
                }
            }
            try await check("nothing yet")
            _ = try await writer.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.approved)
            try await check("a commune's value approved as it is entered")
            _ = try await writer.submit([Fixture.input("BB", "00008", "2025", "5")], by: Fixture.draft)
            try await check("a draft")
            let key = DataValueKey(indicator: "BB", unit: "00008", period: "2025")
            _ = try await writer.approve([key], by: "u-head", at: "2026-01-11T08:00:00.000Z")
            try await check("the draft approved: Hà Nội's roll-up moves")
            _ = try await writer.submit([Fixture.input("BB", "00004", "2025", "12")], by: Fixture.approved)
            try await check("an approved value replaced")
            _ = try await writer.submit([Fixture.input("BB", "00004", "2025", "13")], by: Fixture.draft)
            try await check("a correction waiting beside the approved value")
            _ = try await writer.approve(
                [DataValueKey(indicator: "BB", unit: "00004", period: "2025")], by: "u-head",
                at: "2026-01-12T08:00:00.000Z")
            try await check("the correction approved")
            _ = try await writer.submit(
                [
                    Fixture.input("ONLINE", "00004", "2025", "50"), Fixture.input("ONLINE", "00008", "2025", "100"),
                    Fixture.input("POP", "00004", "2025", "1000"), Fixture.input("BB", "00004", "2024", "3"),
                ], by: Fixture.approved)
            try await check("a weighted mean and its weights, and another period")
            _ = try await writer.submit([Fixture.input("POP", "00008", "2025", "3000")], by: Fixture.approved)
            try await check("a weight alone: the weighted mean moves")
            var mean = Fixture.broadband
            mean.rollup = .mean
            try await store.indicators.save([mean])
            try await check("the indicator rolls up by its mean now")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSliceIsReadAgainOnlyWhenAWriteMovesIt(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let reader = SQLDataValueRepository(database: store.database)
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.approved)
            #expect(try await reader.slices(of: Fixture.broadband, periods: ["2025"])["2025"]?["00004"]?.value == 10)
            #expect(try await reader.list(ValueQuery(indicators: ["BB"], periods: ["2025"])).map(\.value) == [10])
            // A change behind the writer's back (no version bumped) is not seen: the slice is kept.
            try await store.database.transaction { db in
                try await db.raw("UPDATE data_values SET value = 999 WHERE unit_code = '00004'").run()
            }
            #expect(try await reader.slices(of: Fixture.broadband, periods: ["2025"])["2025"]?["00004"]?.value == 10)
            #expect(try await Self.fresh(store, Fixture.broadband)["2025"]?["00004"]?.value == 999)
            let query = ValueQuery(indicators: ["BB"], periods: ["2025"])
            #expect(try await reader.list(query).map(\.value) == [10])
            // A value of another period moves nothing of 2025's; one of 2025 makes it read again.
            _ = try await store.values.submit([Fixture.input("BB", "00008", "2024", "1")], by: Fixture.approved)
            #expect(try await reader.slices(of: Fixture.broadband, periods: ["2025"])["2025"]?["00004"]?.value == 10)
            _ = try await store.values.submit([Fixture.input("BB", "00008", "2025", "5")], by: Fixture.approved)
            #expect(try await reader.slices(of: Fixture.broadband, periods: ["2025"])["2025"]?["00004"]?.value == 999)
            #expect(try await reader.list(query).map(\.value) == [999, 5])
        }
    }
}
