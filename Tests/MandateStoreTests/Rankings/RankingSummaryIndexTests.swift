import Foundation
import SQLKit
import Testing

@testable import MandateStore

/// A publication's summary is read from an index alone: a national commune ranking stores about a
/// megabyte of result and inputs in its row, and the pages that list the latest publications must
/// not walk it (`M016RankingSummaries`).
@Suite struct RankingSummaryIndexTests {
    /// SQLite's plan for the summaries, listed as `publications()` and looked up as
    /// `latestPublication` does.
    static func plans(_ db: any SQLDatabase) async throws -> [String] {
        var plans: [String] = []
        for query in [
            SQLRankingRepository.summaries(db).orderBy("published_at", .descending),
            SQLRankingRepository.summaries(db).where("method_id", .equal, SQLLiteral.string("m"))
                .where("period", .equal, SQLLiteral.string("2025")).orderBy("version", .descending).limit(1),
        ] {
            var serializer = SQLSerializer(database: db)
            query.select.serialize(to: &serializer)
            let rows = try await db.raw("EXPLAIN QUERY PLAN \(unsafeRaw: serializer.sql)").all()
            plans.append(try rows.map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "; "))
        }
        return plans
    }

    @Test(arguments: [TestDatabase.sqliteMemory, .sqliteFile])
    func summariesAreReadFromTheCoveringIndex(database: TestDatabase) async throws {
        try await database.withStore { store in
            let plans = try await store.database.read { try await Self.plans($0) }
            for plan in plans {
                #expect(plan.contains("USING COVERING INDEX published_rankings_summary"), "\(plan)")
            }
        }
    }
}
