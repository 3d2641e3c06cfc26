import Foundation
import MandateCore
import SQLKit

/// Citizens' ratings, as received (their comments masked already).
public protocol FeedbackRepository: Sendable {
    /// Keeps `feedback`; when its comment repeats one kept for the same subject, keeps nothing
    /// and answers `.duplicate`.
    func receive(_ feedback: Feedback) async throws -> FeedbackReceipt.Outcome
    /// The rating with `receipt`, if there is one.
    func feedback(receipt: String) async throws -> Feedback?
    /// The counts of the ratings of `unit` and of the units directly below it (a province's
    /// communes) in the months `from` through `through` (`YYYY-MM`).
    func counts(rollingUp unit: String, from: String, through: String) async throws -> FeedbackCounts
}

extension FeedbackReceipt {
    /// What became of a rating sent.
    public enum Outcome: Sendable, Hashable {
        case received
        /// Its comment repeats one already received: it is counted once.
        case duplicate
    }
}

/// A row of `feedback`.
struct FeedbackRow: Decodable {
    static let factorColumns = SipasFactor.allCases.map { "f_" + $0.rawValue }
    static let columns =
        ["receipt", "unit_code", "task_code", "period", "overall"] + factorColumns
        + ["comment", "comment_digest", "state", "received_at", "illustrative"]

    static func values(_ f: Feedback) -> [any Encodable & Sendable] {
        let digest = f.comment.map { Feedback.commentDigest(unit: f.unit, task: f.task, comment: $0) }
        let head: [any Encodable & Sendable] = [f.receipt, f.unit, f.task, f.period, f.overall]
        let factors: [any Encodable & Sendable] = SipasFactor.allCases.map { f.factors[$0] }
        let tail: [any Encodable & Sendable] = [f.comment, digest, f.state.rawValue, f.receivedAt, f.illustrative]
        return head + factors + tail
    }

    static func decode(_ row: any SQLRow) throws -> Feedback? {
        var factors: [SipasFactor: Int] = [:]
        for factor in SipasFactor.allCases {
            factors[factor] = try row.decode(column: "f_" + factor.rawValue, as: Int?.self)
        }
        guard let state = FeedbackState(rawValue: try row.decode(column: "state", as: String.self)) else { return nil }
        return Feedback(
            receipt: try row.decode(column: "receipt", as: String.self),
            unit: try row.decode(column: "unit_code", as: String.self),
            task: try row.decode(column: "task_code", as: String?.self),
            overall: try row.decode(column: "overall", as: Int.self), factors: factors,
            comment: try row.decode(column: "comment", as: String?.self), state: state,
            period: try row.decode(column: "period", as: String.self),
            receivedAt: try row.decode(column: "received_at", as: String.self),
            illustrative: try row.decode(column: "illustrative", as: Bool.self))
    }
}

/// `FeedbackRepository` on SQLite or PostgreSQL.
public struct SQLFeedbackRepository: FeedbackRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    public func receive(_ feedback: Feedback) async throws -> FeedbackReceipt.Outcome {
        try await database.transaction { db in
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: feedback.unit, ancestors: tree.ancestors(of: feedback.unit)))
            try await db.insert(into: "feedback").columns(FeedbackRow.columns).values(FeedbackRow.values(feedback))
                .ignoringConflicts(with: ["comment_digest"]).run()
            let kept = try await db.select().column("receipt").from("feedback")
                .where("receipt", .equal, feedback.receipt).first()
            return kept == nil ? .duplicate : .received
        }
    }

    public func feedback(receipt: String) async throws -> Feedback? {
        try await database.read { db in
            guard
                let row = try await db.select().columns(FeedbackRow.columns).from("feedback")
                    .where("receipt", .equal, receipt).first()
            else { return nil }
            return try FeedbackRow.decode(row)
        }
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
}
