import Foundation
import MandateCore
import SQLKit
import Testing

@testable import MandateStore

/// Roll-up totals follow the definitions and today's units: a change in how an indicator rolls up
/// computes its totals again, a change that stored values would not survive is refused, and former
/// units' values stay out of the totals (also in a database that counted them before).
@Suite struct RollupRebuildTests {
    @Test(arguments: TestDatabase.available)
    func aNewRollupRuleComputesTheTotalsAgain(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            _ = try await store.values.submit(
                [
                    Fixture.input("BB", "00004", "2025", "10"), Fixture.input("BB", "00008", "2025", "5"),
                    Fixture.input("BB", "01", "2025", "99"), Fixture.input("POP", "00004", "2025", "1000"),
                    Fixture.input("POP", "00008", "2025", "3000"),
                ], by: Fixture.approved)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.value(.sum) == 15)
            // A mean now, and reported by provinces only: the province's own value rolls up instead.
            var mean = Fixture.broadband
            mean.rollup = .mean
            mean.appliesTo = [.province]
            try await store.indicators.save([mean])
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025") == nil)
            let nation = try #require(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2025"))
            #expect(nation.count == 1 && nation.value(.mean) == 99)
            // Weighted by population, from communes again: (10 × 1000 + 5 × 3000) ÷ 4000.
            var weighted = Fixture.broadband
            weighted.rollup = .weightedMean(by: "POP")
            try await store.indicators.save([weighted])
            let hanoi = try #require(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025"))
            #expect(hanoi.count == 2 && hanoi.value(.weightedMean) == 6.25)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aValueTypeOrFrequencyStoredValuesWouldNotFitIsRefused(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.draft)
            var changed = Fixture.broadband
            changed.valueType = .percent
            changed.frequency = .quarterly
            changed.nameEn = "Renamed"
            do {
                try await store.indicators.save([changed])
                Issue.record("the change was saved")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.map(\.column) == ["valueType", "frequency"])
            }
            #expect(try await store.indicators.get(code: "BB")?.nameEn == Fixture.broadband.nameEn)
            // A definition whose values fit (a new name) is saved.
            var renamed = Fixture.broadband
            renamed.nameEn = "Renamed"
            try await store.indicators.save([renamed])
            #expect(try await store.indicators.get(code: "BB")?.nameEn == "Renamed")
        }
    }

    @Test(arguments: TestDatabase.available)
    func formerUnitsLeaveTheTotalsOfADatabaseThatCountedThem(database: TestDatabase) async throws {
        try await database.withStore { store in
            let db = store.database
            var provincial = Fixture.broadband
            provincial.appliesTo = [.province]
            try await store.indicators.save([provincial])
            _ = try await store.values.submit(
                [Fixture.input("BB", "pre2025-02", "2024", "12"), Fixture.input("BB", "08", "2024", "40")],
                by: Fixture.approved)
            #expect(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2024")?.count == 1)
            // As totals were kept before: the former province counted in the nation's.
            try await db.transaction { db in
                try await db.update("rollup_totals").set("value_sum", to: 52.0).set("value_count", to: 2)
                    .where("indicator_code", .equal, "BB").where("unit_code", .equal, "BCD").run()
            }
            #expect(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2024")?.count == 2)
            try await db.transaction { db in
                try await db.delete(from: "schema_migrations").where("name", .equal, M010TodaysUnitsRollUp().name).run()
            }
            try await Migrator(database: db, logger: TestDatabase.logger).migrate()
            let nation = try #require(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2024"))
            #expect(nation.count == 1 && nation.value(.sum) == 40)
        }
    }
}
