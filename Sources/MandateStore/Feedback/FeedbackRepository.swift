import Foundation
import MandateCore
import SQLKit

/// Citizens' ratings, as received (their comments masked already).
public protocol FeedbackRepository: SatisfactionCountSource {
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
    /// Per unit rated, the share of its comments answered on time on `day`
    /// (`Feedback.answeredOnTimeRates`).
    func answeredOnTimeRates(on day: CivilDate) async throws -> [String: Double]
    /// How many facts of feedback the log holds: one per rating, one per stage of each answer.
    func factCount() async throws -> Int
    /// Those facts derived afresh from the ratings (`Feedback.acceptedFact`, `answerFact`): the
    /// ratings, oldest first, then each comment's answer stages by reference.
    func facts(limit: Int, offset: Int) async throws -> [PublishedFact]
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
