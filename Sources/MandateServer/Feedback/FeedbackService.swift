import Foundation
import MandateCore
import MandateStore

/// Citizens' ratings, received through `POST /api/v1/feedback` and the rating form alike: the
/// draft checked and its comment masked (`FeedbackDraft.checked`), the subject found and open to
/// ratings, the limits kept (`FeedbackThrottle`), then kept once (`FeedbackRepository.receive`).
struct FeedbackService: Sendable {
    let feedback: any FeedbackRepository
    let units: any UnitRepository
    let tasks: any TaskRepository
    let clock: AppClock
    let throttle: FeedbackThrottle
    let access: AccessGuard

    /// Receives a rating from `client` (its address, which is hashed and never kept). A filled
    /// `honeypot` (a field people never see) marks a robot: it is answered as if received, and
    /// nothing is kept.
    func receive(_ draft: FeedbackDraft, client: String, honeypot: String?) async throws -> Feedback {
        let checked = try draft.checked()
        let unit: String
        var task: String?
        switch checked.subject {
        case .unit(let code):
            guard let found = try await units.get(code: code), found.active else {
                throw AppError.notFound(field: "unit", "no unit has code \"\(code)\"")
            }
            guard found.kind.takesRatings else {
                throw ValidationFailure([
                    RowError(
                        line: nil, column: "unit",
                        en: "\(code) takes no ratings: ministries, provinces and communes do",
                        vi: "\(code) không nhận đánh giá: chỉ bộ, ngành, tỉnh, thành phố và xã, phường nhận đánh giá")
                ])
            }
            unit = code
        case .task(let code):
            guard let record = try await tasks.get(code), record.task.isSignedOff else {
                throw AppError.notFound(field: "task", "no task has code \"\(code)\"")
            }
            guard record.status(today: clock.today()).takesRatings else {
                throw StateConflict(field: "task", "a task's result is rated once it is accepted")
            }
            unit = record.task.leadUnit
            task = code
        }
        let now = clock.now()
        var generator = SystemRandomNumberGenerator()
        let received = Feedback(
            receipt: FeedbackReceipt.make(using: &generator), unit: unit, task: task, overall: checked.overall,
            factors: checked.factors, comment: checked.comment, state: checked.comment == nil ? .recorded : .pending,
            period: Feedback.period(of: now) ?? String(now.prefix(7)), receivedAt: now,
            reference: checked.comment == nil ? nil : FeedbackReceipt.make(using: &generator))
        if let honeypot, !honeypot.isEmpty { return received }
        try throttle.take(client: client, unit: unit, now: clock.date())
        if try await feedback.receive(received) == .duplicate {
            throw AppError(
                .conflict, "duplicate-feedback", "Already received",
                detail: "an identical comment on this was already received; it is counted once")
        }
        return received
    }

    /// The fewest ratings a satisfaction figure is published from.
    var minimum: Int { Satisfaction.defaultMinimum }

    /// The counts of `unit`'s ratings (its communes' taken in) over `period`: a year (`2026`)
    /// or a month (`2026-03`).
    func counts(of unit: String, period: String) async throws -> FeedbackCounts {
        let bytes = Array(period.utf8)
        let isYear = bytes.count == 4 && bytes.allSatisfy { (48...57).contains($0) }
        let isMonth =
            bytes.count == 7 && bytes[4] == UInt8(ascii: "-") && Int(period.prefix(4)) != nil
            && (1...12).contains(Int(period.suffix(2)) ?? 0)
        guard isYear || isMonth else {
            throw AppError.badRequest(field: "period", "a year (2026) or a month (2026-03)")
        }
        let (from, through) = isYear ? (period + "-01", period + "-12") : (period, period)
        return try await feedback.counts(rollingUp: unit, from: from, through: through)
    }

    /// Publishes or hides the comment with `reference`, as its unit's head or a committee role
    /// (`Action.moderateFeedback`, audited).
    func moderate(reference: String, _ decision: ModerationDecision, _ caller: ServiceCaller) async throws -> Feedback {
        guard let found = try await feedback.feedback(reference: reference) else {
            throw AppError.notFound("no comment has reference \"\(reference)\"")
        }
        try await access.require(
            .moderateFeedback, on: found.unit, principal: caller.principal, userId: caller.user?.id,
            target: "feedback:\(reference)", requestId: caller.requestId, logger: caller.logger)
        let actor = Actor(userId: caller.user?.id, at: clock.now())
        guard let moderated = try await feedback.moderate(reference: reference, decision, by: actor) else {
            throw AppError.notFound("no comment has reference \"\(reference)\"")
        }
        return moderated
    }

    /// Keeps the unit's interim reply or answer to the published comment with `reference`, as
    /// one of the unit's officials or a committee role (`Action.answerFeedback`, audited).
    func answer(reference: String, _ text: String, interim: Bool, _ caller: ServiceCaller) async throws -> Feedback {
        guard let found = try await feedback.feedback(reference: reference) else {
            throw AppError.notFound("no comment has reference \"\(reference)\"")
        }
        try await access.require(
            .answerFeedback, on: found.answeringUnit, principal: caller.principal, userId: caller.user?.id,
            target: "feedback:\(reference)", requestId: caller.requestId, logger: caller.logger)
        let actor = Actor(userId: caller.user?.id, at: clock.now())
        guard let answered = try await feedback.answer(reference: reference, text, interim: interim, by: actor) else {
            throw AppError.notFound("no comment has reference \"\(reference)\"")
        }
        return answered
    }

    /// The units whose comments `principal` may act on with `action` (moderate or answer): nil
    /// for every unit (committee roles), its own for a unit's official allowed there, none for
    /// anyone else.
    func units(_ principal: Principal, mayAct action: Action) async throws -> [String]? {
        guard let unit = principal.membership?.unit, try await access.may(principal, action, on: unit) else {
            return []
        }
        if let role = principal.membership?.role, role.isCommitteeRole { return nil }
        return [unit]
    }

    /// A reader's report of a published comment: it goes back to the moderators, and nothing is
    /// hidden by it.
    func report(reference: String) async throws {
        guard try await feedback.report(reference: reference) else {
            throw AppError.notFound("no published comment has reference \"\(reference)\"")
        }
    }

    /// The citizen, with the receipt, rates the unit's answer; a rating of 1 or 2 reopens the
    /// comment for the unit's parent (an appeal).
    func rateAnswer(receipt typed: String, score: Int) async throws -> Feedback {
        let found = try await feedback(receipt: typed)
        let parent = try await units.get(code: found.unit)?.parentCode
        guard
            let rated = try await feedback.rateAnswer(
                receipt: found.receipt, score: score, parent: parent, at: clock.now())
        else { throw AppError.notFound("no rating has receipt \"\(typed)\"") }
        return rated
    }

    /// The rating with `receipt` (typed in any case, with or without dashes).
    func feedback(receipt typed: String) async throws -> Feedback {
        guard let receipt = FeedbackReceipt.normalised(typed), let found = try await feedback.feedback(receipt: receipt)
        else { throw AppError.notFound("no rating has receipt \"\(typed)\"") }
        return found
    }
}

/// A rating as the API and the receipt page show it: its scores and state, and its comment
/// only once a moderator published it.
struct FeedbackView: Codable, Sendable {
    let receipt: String
    let unit: String
    let task: String?
    let period: String
    let overall: Int
    let factors: [String: Int]
    let state: FeedbackState
    let comment: String?
    /// The comment's public code, which readers report it by, once it is published.
    let reference: String?
    /// Why a moderator hid the comment.
    let hiddenReason: ModerationReason?
    let receivedAt: String
    /// The day the unit's answer is due, once the comment is published.
    let answerDue: String?
    let interim: String?
    let interimAt: String?
    let answer: String?
    let answeredAt: String?
    /// The citizen's rating of the answer.
    let answerRating: Int?
    /// The parent unit a poor rating of the answer appealed to, and its answer.
    let appealUnit: String?
    let appealAnswer: String?
    let appealAnsweredAt: String?

    init(_ feedback: Feedback) {
        receipt = feedback.receipt
        unit = feedback.unit
        task = feedback.task
        period = feedback.period
        overall = feedback.overall
        factors = Dictionary(uniqueKeysWithValues: feedback.factors.map { ($0.key.rawValue, $0.value) })
        state = feedback.state
        comment = feedback.state == .published ? feedback.comment : nil
        reference = feedback.state == .published ? feedback.reference : nil
        hiddenReason = feedback.hiddenReason
        receivedAt = feedback.receivedAt
        answerDue = feedback.answerDue?.description
        interim = feedback.interim
        interimAt = feedback.interimAt
        answer = feedback.answer
        answeredAt = feedback.answeredAt
        answerRating = feedback.answerRating
        appealUnit = feedback.appealUnit
        appealAnswer = feedback.appealAnswer
        appealAnsweredAt = feedback.appealAnsweredAt
    }
}
