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
    /// How many comments of the same ratings were hidden, by reason.
    func hidden(rollingUp unit: String, from: String, through: String) async throws -> [ModerationReason: Int]
    /// The rating whose comment has `reference`, if there is one.
    func feedback(reference: String) async throws -> Feedback?
    /// Applies `decision` to the comment with `reference` (`Feedback.moderated`); nil when there
    /// is none.
    func moderate(reference: String, _ decision: ModerationDecision, by actor: Actor) async throws -> Feedback?
    /// Keeps the unit's interim reply or answer to the comment with `reference`
    /// (`Feedback.answered`); nil when there is none.
    func answer(reference: String, _ text: String, interim: Bool, by actor: Actor) async throws -> Feedback?
    /// Keeps the citizen's rating of the answer to the rating with `receipt`
    /// (`Feedback.ratedAnswer`, a poor one appealing to `parent`); nil when there is none.
    func rateAnswer(receipt: String, score: Int, parent: String?, at now: String) async throws -> Feedback?
    /// The published comments of `units` (every unit's when nil) waiting for an answer, the
    /// oldest first.
    func awaitingAnswer(units: [String]?, limit: Int) async throws -> [Feedback]
    /// Counts a reader's report of the published comment with `reference`; false when there is no
    /// such comment. A report hides nothing: it puts the comment back in the moderation queue.
    func report(reference: String) async throws -> Bool
    /// The comments waiting for a moderator (`Feedback.awaitsModeration`), of `units` (every
    /// unit's when nil), oldest first.
    func moderationQueue(units: [String]?, limit: Int) async throws -> [Feedback]
    /// The published comments about `unit`, newest first.
    func published(unit: String, limit: Int) async throws -> [Feedback]
    /// How many ratings gave each score, per unit, month and measure (`overall` or a SIPAS
    /// factor), in that order: the open data (no text at all).
    func scoreCounts() async throws -> [ScoreCount]
}

/// One line of the open data of ratings: how many ratings of `unit` in `period` gave `measure`
/// the score `score`.
public struct ScoreCount: Sendable, Hashable {
    public var unit: String
    public var period: String
    /// `overall` or a SIPAS factor's name.
    public var measure: String
    public var score: Int
    public var count: Int

    public init(unit: String, period: String, measure: String, score: Int, count: Int) {
        self.unit = unit
        self.period = period
        self.measure = measure
        self.score = score
        self.count = count
    }
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
        + [
            "comment", "comment_digest", "state", "received_at", "illustrative", "reference", "hidden_reason",
            "reports", "published_at", "interim", "interim_at", "answer", "answered_at", "answer_rating",
            "appeal_unit", "appealed_at", "appeal_answer", "appeal_answered_at",
        ]

    static func values(_ f: Feedback) -> [any Encodable & Sendable] {
        let digest = f.comment.map { Feedback.commentDigest(unit: f.unit, task: f.task, comment: $0) }
        let head: [any Encodable & Sendable] = [f.receipt, f.unit, f.task, f.period, f.overall]
        let factors: [any Encodable & Sendable] = SipasFactor.allCases.map { f.factors[$0] }
        let tail: [any Encodable & Sendable] = [
            f.comment, digest, f.state.rawValue, f.receivedAt, f.illustrative, f.reference, f.hiddenReason?.rawValue,
            f.reports, f.publishedAt, f.interim, f.interimAt, f.answer, f.answeredAt, f.answerRating, f.appealUnit,
            f.appealedAt, f.appealAnswer, f.appealAnsweredAt,
        ]
        return head + factors + tail
    }

    static func decode(_ row: any SQLRow) throws -> Feedback? {
        var factors: [SipasFactor: Int] = [:]
        for factor in SipasFactor.allCases {
            factors[factor] = try row.decode(column: "f_" + factor.rawValue, as: Int?.self)
        }
        guard let state = FeedbackState(rawValue: try row.decode(column: "state", as: String.self)) else { return nil }
        var feedback = Feedback(
            receipt: try row.decode(column: "receipt", as: String.self),
            unit: try row.decode(column: "unit_code", as: String.self),
            task: try row.decode(column: "task_code", as: String?.self),
            overall: try row.decode(column: "overall", as: Int.self), factors: factors,
            comment: try row.decode(column: "comment", as: String?.self), state: state,
            period: try row.decode(column: "period", as: String.self),
            receivedAt: try row.decode(column: "received_at", as: String.self),
            illustrative: try row.decode(column: "illustrative", as: Bool.self),
            reference: try row.decode(column: "reference", as: String?.self))
        feedback.hiddenReason = try row.decode(column: "hidden_reason", as: String?.self).flatMap(ModerationReason.init)
        feedback.reports = try row.decode(column: "reports", as: Int.self)
        feedback.publishedAt = try row.decode(column: "published_at", as: String?.self)
        feedback.interim = try row.decode(column: "interim", as: String?.self)
        feedback.interimAt = try row.decode(column: "interim_at", as: String?.self)
        feedback.answer = try row.decode(column: "answer", as: String?.self)
        feedback.answeredAt = try row.decode(column: "answered_at", as: String?.self)
        feedback.answerRating = try row.decode(column: "answer_rating", as: Int?.self)
        feedback.appealUnit = try row.decode(column: "appeal_unit", as: String?.self)
        feedback.appealedAt = try row.decode(column: "appealed_at", as: String?.self)
        feedback.appealAnswer = try row.decode(column: "appeal_answer", as: String?.self)
        feedback.appealAnsweredAt = try row.decode(column: "appeal_answered_at", as: String?.self)
        return feedback
    }

    static func fetch(_ column: String, _ value: String, on db: any SQLDatabase) async throws -> Feedback? {
        guard let row = try await db.select().columns(columns).from("feedback").where(column, .equal, value).first()
        else { return nil }
        return try decode(row)
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
        try await database.read { db in try await FeedbackRow.fetch("receipt", receipt, on: db) }
    }

    public func feedback(reference: String) async throws -> Feedback? {
        try await database.read { db in try await FeedbackRow.fetch("reference", reference, on: db) }
    }

    public func moderate(reference: String, _ decision: ModerationDecision, by actor: Actor) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db) else { return nil }
            let next = try stored.moderated(decision, at: actor.at)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            try await db.update("feedback").set("state", to: next.state.rawValue)
                .set("hidden_reason", to: next.hiddenReason?.rawValue).set("reports", to: next.reports)
                .set("moderated_at", to: actor.at).set("moderated_by", to: actor.userId)
                .set("published_at", to: next.publishedAt).where("reference", .equal, reference).run()
            return next
        }
    }

    public func answer(reference: String, _ text: String, interim: Bool, by actor: Actor) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db) else { return nil }
            let next = try stored.answered(text, interim: interim, at: actor.at)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            var update = db.update("feedback")
            if stored.appealUnit != nil {
                update = update.set("appeal_answer", to: next.appealAnswer)
                    .set("appeal_answered_at", to: next.appealAnsweredAt).set("appeal_answered_by", to: actor.userId)
            } else if interim {
                update = update.set("interim", to: next.interim).set("interim_at", to: next.interimAt)
                    .set("interim_by", to: actor.userId)
            } else {
                update = update.set("answer", to: next.answer).set("answered_at", to: next.answeredAt)
                    .set("answered_by", to: actor.userId)
            }
            try await update.where("reference", .equal, reference).run()
            return next
        }
    }

    public func rateAnswer(receipt: String, score: Int, parent: String?, at now: String) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("receipt", receipt, on: db) else { return nil }
            let next = try stored.ratedAnswer(score, parent: parent, at: now)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            try await db.update("feedback").set("answer_rating", to: next.answerRating)
                .set("appeal_unit", to: next.appealUnit).set("appealed_at", to: next.appealedAt)
                .where("receipt", .equal, receipt).run()
            return next
        }
    }

    public func awaitingAnswer(units: [String]?, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            // The unit's own answer, or on appeal the parent unit's (`Feedback.answeringUnit`).
            let select = db.select().columns(FeedbackRow.columns).from("feedback")
                .where("state", .equal, FeedbackState.published.rawValue).where { waiting in
                    waiting.where { own in
                        var own = own.where("answered_at", .is, SQLLiteral.null)
                        if let units { own = own.where("unit_code", .in, units) }
                        return own
                    }.orWhere { appeal in
                        var appeal = appeal.where("appeal_unit", .isNot, SQLLiteral.null)
                            .where("appeal_answered_at", .is, SQLLiteral.null)
                        if let units { appeal = appeal.where("appeal_unit", .in, units) }
                        return appeal
                    }
                }
            return try await select.orderBy("published_at").orderBy("receipt").limit(limit).all()
                .compactMap(FeedbackRow.decode)
        }
    }

    public func report(reference: String) async throws -> Bool {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db), stored.takesReports else {
                return false
            }
            // The queue is the committee's and the unit head's: nothing public changes.
            ChangeRecorder.note(.nothingPublic)
            try await db.update("feedback").set("reports", to: SQLRaw("reports + 1"))
                .where("reference", .equal, reference).run()
            return true
        }
    }

    public func moderationQueue(units: [String]?, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            var select = db.select().columns(FeedbackRow.columns).from("feedback").where { awaiting in
                awaiting.where("state", .equal, FeedbackState.pending.rawValue).orWhere { reported in
                    reported.where("state", .equal, FeedbackState.published.rawValue).where("reports", .greaterThan, 0)
                }
            }
            if let units { select = select.where("unit_code", .in, units) }
            return try await select.orderBy("received_at").orderBy("receipt").limit(limit).all()
                .compactMap(FeedbackRow.decode)
        }
    }

    public func published(unit: String, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            try await db.select().columns(FeedbackRow.columns).from("feedback").where("unit_code", .equal, unit)
                .where("state", .equal, FeedbackState.published.rawValue).orderBy("received_at", .descending)
                .orderBy("receipt", .descending).limit(limit).all().compactMap(FeedbackRow.decode)
        }
    }

    public func hidden(rollingUp unit: String, from: String, through: String) async throws -> [ModerationReason: Int] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT hidden_reason, COUNT(*) AS n FROM feedback \
                WHERE (unit_code = \(bind: unit) OR unit_code IN (SELECT code FROM units WHERE parent_code = \(bind: unit))) \
                AND period >= \(bind: from) AND period <= \(bind: through) AND state = \(bind: FeedbackState.hidden.rawValue) \
                GROUP BY hidden_reason
                """
            ).all()
            var counts: [ModerationReason: Int] = [:]
            for row in rows {
                if let reason = ModerationReason(
                    rawValue: try row.decode(column: "hidden_reason", as: String?.self) ?? "")
                {
                    counts[reason] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
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
