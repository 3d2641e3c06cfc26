import Foundation
import MandateCore
import SQLKit

/// `FeedbackRepository` on SQLite or PostgreSQL.
public struct SQLFeedbackRepository: FeedbackRepository {
    let database: any MandateDatabase
    /// Ratings waiting for the next commit (`RatingQueue`).
    let queue = RatingQueue()

    public init(database: any MandateDatabase) {
        self.database = database
    }

    /// Kept in the next group commit (`RatingQueue`), and answered once that commit is durable.
    public func receive(_ feedback: Feedback) async throws -> FeedbackReceipt.Outcome {
        try await queue.receive(feedback) { batch in try await self.commit(batch) }
    }

    /// Keeps `batch` in one transaction, each rating and its fact in the log, except a comment
    /// that repeats one kept for the same subject (in the table or earlier in the batch), which is
    /// a duplicate; the outcomes in the batch's order.
    func commit(_ batch: [Feedback]) async throws -> [FeedbackReceipt.Outcome] {
        try await database.transaction { db in
            let tree = try await database.units.current(on: db)
            var insert = db.insert(into: "feedback").columns(FeedbackRow.columns)
            for feedback in batch {
                ChangeRecorder.note(.rating(unit: feedback.unit, ancestors: tree.ancestors(of: feedback.unit)))
                insert = insert.values(FeedbackRow.values(feedback))
            }
            try await insert.ignoringConflicts(with: ["comment_digest"]).run()
            let kept = Set(
                try await db.select().column("receipt").from("feedback")
                    .where("receipt", .in, batch.map(\.receipt)).all(decodingColumn: "receipt", as: String.self))
            let received = batch.filter { kept.contains($0.receipt) }
            if let first = received.first {
                _ = try await SQLTransparencyLog.append(
                    try received.map { try $0.acceptedFact() }, at: first.receivedAt, in: db)
            }
            return batch.map { kept.contains($0.receipt) ? .received : .duplicate }
        }
    }

    public func feedback(receipt: String) async throws -> Feedback? {
        try await database.read { db in try await FeedbackRow.fetch("receipt", receipt, on: db) }
    }

    public func feedback(reference: String) async throws -> Feedback? {
        try await database.read { db in try await FeedbackRow.fetch("reference", reference, on: db) }
    }

    public func counts(rollingUp unit: String, from: String, through: String) async throws -> FeedbackCounts {
        try await database.read { db in
            let factors = FeedbackRow.factorColumns.map { SQLIdentifier($0) }
            let rows = try await db.raw(
                """
                SELECT overall, \(SQLList(factors)), COUNT(*) AS n FROM feedback \
                WHERE (unit_code = \(bind: unit) OR unit_code IN (SELECT code FROM units WHERE parent_code = \(bind: unit))) \
                AND period >= \(bind: from) AND period <= \(bind: through) \
                GROUP BY overall, \(SQLList(factors))
                """
            ).all()
            var counts = FeedbackCounts()
            for row in rows {
                let n = try row.decode(column: "n", as: Int.self)
                counts.overall.add(score: try row.decode(column: "overall", as: Int.self), count: n)
                for factor in SipasFactor.allCases {
                    if let score = try row.decode(column: "f_" + factor.rawValue, as: Int?.self) {
                        counts.factors[factor, default: ScoreCounts()].add(score: score, count: n)
                    }
                }
            }
            return counts
        }
    }

    public func scoreCounts() async throws -> [ScoreCount] {
        try await database.read { db in
            var lines: [ScoreCount] = []
            let measures = [("overall", "overall")] + SipasFactor.allCases.map { ($0.rawValue, "f_" + $0.rawValue) }
            for (measure, column) in measures {
                let rows = try await db.raw(
                    """
                    SELECT unit_code, period, \(ident: column) AS score, COUNT(*) AS n FROM feedback \
                    WHERE \(ident: column) IS NOT NULL GROUP BY unit_code, period, \(ident: column)
                    """
                ).all()
                for row in rows {
                    lines.append(
                        ScoreCount(
                            unit: try row.decode(column: "unit_code", as: String.self),
                            period: try row.decode(column: "period", as: String.self), measure: measure,
                            score: try row.decode(column: "score", as: Int.self),
                            count: try row.decode(column: "n", as: Int.self)))
                }
            }
            let order = Dictionary(uniqueKeysWithValues: measures.enumerated().map { ($1.0, $0) })
            return lines.sorted {
                ($0.unit, $0.period, order[$0.measure] ?? 0, $0.score) < (
                    $1.unit, $1.period, order[$1.measure] ?? 0, $1.score
                )
            }
        }
    }
}

extension SQLFeedbackRepository {
    /// Keeps `ratings` (the demo's illustrative ones) in one transaction, with their facts in the
    /// log, as `receive` would one by one.
    func load(_ ratings: [Feedback], at: String) async throws {
        try await database.transaction { db in
            for batch in stride(from: 0, to: ratings.count, by: 500) {
                var insert = db.insert(into: "feedback").columns(FeedbackRow.columns)
                for rating in ratings[batch..<min(ratings.count, batch + 500)] {
                    insert = insert.values(FeedbackRow.values(rating))
                }
                try await insert.run()
            }
            _ = try await SQLTransparencyLog.append(try ratings.map { try $0.acceptedFact() }, at: at, in: db)
        }
    }
}
