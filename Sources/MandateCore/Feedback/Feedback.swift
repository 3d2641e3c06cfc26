import Crypto
import Foundation

/// The five factors of Vietnam's SIPAS survey of satisfaction with public administrative
/// services, each rated 1–5 when the citizen chooses to.
public enum SipasFactor: String, Codable, Sendable, Hashable, CaseIterable, ListedValues {
    /// Access to the service.
    case access
    /// Administrative procedures.
    case procedures
    /// The civil servants.
    case staff
    /// The result of the service.
    case results
    /// How feedback and complaints are handled.
    case handling
}

/// Where a comment stands. A rating without a comment is `recorded` and has no further steps.
public enum FeedbackState: String, Codable, Sendable, Hashable, CaseIterable {
    /// A rating without a comment.
    case recorded
    /// A comment waiting for a moderator.
    case pending
    /// A comment a moderator published.
    case published
    /// A comment a moderator hid, with a reason; its rating still counts.
    case hidden
}

/// One rating of a unit's service or of an accepted task's result, as received: its comment
/// already masked (`PersonalData`). No name, e-mail, phone or address is ever part of it.
public struct Feedback: Codable, Sendable, Hashable {
    /// The code the citizen keeps to follow it (`FeedbackReceipt`).
    public var receipt: String
    /// The unit rated: the unit itself, or the lead unit of the task rated.
    public var unit: String
    /// The task whose result is rated, if a task's.
    public var task: String?
    /// 1–5.
    public var overall: Int
    /// The SIPAS factors the citizen rated, 1–5 each.
    public var factors: [SipasFactor: Int]
    /// The comment, masked; nil without one.
    public var comment: String?
    public var state: FeedbackState
    /// The month it counts in (`YYYY-MM`, Hà Nội time).
    public var period: String
    public var receivedAt: String
    public var illustrative: Bool
    /// The public code of its comment, which readers report it by (never the receipt, which is
    /// the citizen's); nil without a comment.
    public var reference: String?
    /// Why a moderator hid its comment.
    public var hiddenReason: ModerationReason?
    /// How many times readers reported its comment since it was last moderated.
    public var reports = 0
    /// When its comment was first published: the unit's answer is due from then.
    public var publishedAt: String?
    /// The unit's interim reply, which moves the answer's due date once.
    public var interim: String?
    public var interimAt: String?
    /// The unit's answer.
    public var answer: String?
    public var answeredAt: String?
    /// The citizen's rating of the answer, 1–5.
    public var answerRating: Int?
    /// The parent unit a poor rating of the answer (1–2) reopened the comment for, and its answer.
    public var appealUnit: String?
    public var appealedAt: String?
    public var appealAnswer: String?
    public var appealAnsweredAt: String?

    public init(
        receipt: String, unit: String, task: String?, overall: Int, factors: [SipasFactor: Int], comment: String?,
        state: FeedbackState, period: String, receivedAt: String, illustrative: Bool = false, reference: String? = nil
    ) {
        self.receipt = receipt
        self.unit = unit
        self.task = task
        self.overall = overall
        self.factors = factors
        self.comment = comment
        self.state = state
        self.period = period
        self.receivedAt = receivedAt
        self.illustrative = illustrative
        self.reference = reference
    }

    /// A rating of 4 or 5: the citizen is satisfied.
    public var isSatisfied: Bool { overall >= 4 }
}

/// A rating as a citizen sends it, through the form or `POST /api/v1/feedback`: what is rated
/// (a unit, or a task), the overall score, the factors rated and a comment, all optional but
/// the subject and the overall score.
public struct FeedbackDraft: Codable, Sendable, Hashable {
    public var unit: String?
    public var task: String?
    public var overall: Int?
    public var factors: [String: Int]?
    public var comment: String?

    public init(
        unit: String? = nil, task: String? = nil, overall: Int?, factors: [String: Int]? = nil, comment: String? = nil
    ) {
        self.unit = unit
        self.task = task
        self.overall = overall
        self.factors = factors
        self.comment = comment
    }

    /// The longest comment, in characters.
    public static let maximumComment = 1_200
    public static let scores = 1...5

    /// What the citizen rates, once the draft is checked.
    public enum Subject: Sendable, Hashable {
        case unit(String)
        case task(String)
    }

    /// The checked parts of the draft: its subject, scores and comment (cleaned and masked), or
    /// every problem with it, each naming its field in both languages.
    public func checked() throws(ValidationFailure) -> (
        subject: Subject, overall: Int, factors: [SipasFactor: Int], comment: String?
    ) {
        var problems = FieldProblems()
        let unit = unit?.trimmingWhitespace() ?? ""
        let task = task?.trimmingWhitespace() ?? ""
        var subject = Subject.unit(unit)
        switch (unit.isEmpty, task.isEmpty) {
        case (false, true): subject = .unit(unit)
        case (true, false): subject = .task(task)
        default:
            problems.fail(
                "unit", "name either the unit or the task rated", "hãy chọn đơn vị hoặc nhiệm vụ được đánh giá")
        }
        if overall.map({ !Self.scores.contains($0) }) ?? true {
            problems.fail("overall", "choose a score from 1 to 5", "hãy chọn điểm từ 1 đến 5")
        }
        var factors: [SipasFactor: Int] = [:]
        for (name, score) in self.factors ?? [:] {
            guard let factor = SipasFactor(rawValue: name) else {
                let known = SipasFactor.allCases.map(\.rawValue).joined(separator: ", ")
                problems.fail(
                    "factors.\(name)", "not a factor; the factors are \(known)",
                    "không phải là tiêu chí; các tiêu chí là \(known)")
                continue
            }
            guard Self.scores.contains(score) else {
                problems.fail("factors.\(name)", "a score is from 1 to 5", "điểm từ 1 đến 5")
                continue
            }
            factors[factor] = score
        }
        var comment: String?
        if let typed = self.comment {
            let cleaned = HumanText.cleaned(typed, multiline: true)
            if cleaned.count > Self.maximumComment {
                problems.fail(
                    "comment", "a comment has at most \(Self.maximumComment) characters (this one \(cleaned.count))",
                    "ý kiến có tối đa 1.200 ký tự (ý kiến này có \(cleaned.count))")
            } else if !cleaned.isEmpty {
                comment = PersonalData.masked(cleaned)
            }
        }
        try problems.check()
        return (subject, overall ?? 0, factors, comment)
    }
}

extension Feedback {
    /// The month a rating received at `instant` counts in: `YYYY-MM` of its Hà Nội day.
    public static func period(of instant: String) -> String? {
        guard let day = HanoiTime.day(of: instant) else { return nil }
        return String(format: "%04d-%02d", day.year, day.month)
    }

    /// What makes two comments the same one repeated: the subject rated and the masked comment,
    /// its case and spacing aside (SHA-256, hex). An identical comment is counted once.
    public static func commentDigest(unit: String, task: String?, comment: String) -> String {
        let words = comment.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let text = [unit, task ?? "", words].joined(separator: "\n")
        return Hex.lowercase(SHA256.hash(data: Data(text.utf8)))
    }
}

extension TaskStatus {
    /// Whether citizens may rate the task's result: once it was accepted.
    public var takesRatings: Bool { self == .acceptedOnTime || self == .acceptedLate }
}

extension UnitKind {
    /// Whether citizens rate the unit's services: ministries, provinces and communes serve them;
    /// the committee and partner units do not.
    public var takesRatings: Bool { self == .ministry || self == .province || self == .commune }
}

/// Why a moderator hides a comment: a fixed list, so that "n hidden" can say why.
public enum ModerationReason: String, Codable, Sendable, Hashable, CaseIterable, ListedValues {
    /// Insults, threats or hate.
    case abusive
    /// It names or identifies a person.
    case personalData = "personal_data"
    /// Not about the service or result rated.
    case offTopic = "off_topic"
    /// Advertising or spam.
    case advertising
    /// Against the law (state secrets, incitement).
    case unlawful
}

/// A moderator's decision on a comment.
public enum ModerationDecision: Sendable, Hashable {
    case publish
    case hide(ModerationReason)
}

extension Feedback {
    /// The rating after `decision`: its comment published, or hidden with the reason, and its
    /// reports answered. Refused for a rating without a comment, and for a decision that changes
    /// nothing (publishing a published comment, hiding a hidden one for the same reason).
    public func moderated(_ decision: ModerationDecision, at moderatedAt: String) throws(StateConflict) -> Feedback {
        guard comment != nil, state != .recorded else {
            throw StateConflict(field: "decision", "the rating has no comment to moderate")
        }
        var next = self
        next.reports = 0
        switch decision {
        case .publish:
            guard state != .published else {
                throw StateConflict(field: "decision", "the comment is published already")
            }
            next.state = .published
            next.hiddenReason = nil
            next.publishedAt = publishedAt ?? moderatedAt
        case .hide(let reason):
            guard state != .hidden || hiddenReason != reason else {
                throw StateConflict(field: "decision", "the comment is hidden already, for that reason")
            }
            next.state = .hidden
            next.hiddenReason = reason
        }
        return next
    }

    /// Whether readers may report its comment: once it is published.
    public var takesReports: Bool { state == .published }

    /// Whether it waits for a moderator: a comment not yet moderated, or a published one readers
    /// reported.
    public var awaitsModeration: Bool { state == .pending || state == .published && reports > 0 }
}

/// The unit's answer to a published comment: due `answerDays` after publication; one interim
/// reply moves the due date once, by as much.
extension Feedback {
    /// Days the unit has to answer a published comment.
    public static let answerDays = 15

    /// The day the answer is due: the unit's, from the comment's first publication (an interim
    /// reply moves it once); on appeal, the parent unit's, from the appeal. Nil before the
    /// comment is published.
    public var answerDue: CivilDate? {
        if let appealedAt, let appealed = HanoiTime.day(of: appealedAt) {
            return appealed.adding(days: Self.answerDays)
        }
        return unitAnswerDue
    }

    /// The day the unit's own answer is due: from the comment's first publication, moved once by
    /// an interim reply.
    public var unitAnswerDue: CivilDate? {
        guard let publishedAt, let published = HanoiTime.day(of: publishedAt) else { return nil }
        return published.adding(days: Self.answerDays * (interimAt == nil ? 1 : 2))
    }

    /// Whether the comment waits for an answer: the unit's, or on appeal the parent unit's.
    public var awaitsAnswer: Bool {
        state == .published && (answer == nil || appealUnit != nil && appealAnswer == nil)
    }

    /// The unit that owes the answer now: the parent unit on appeal, otherwise the unit rated.
    public var answeringUnit: String { appealUnit ?? unit }

    /// The rating after the citizen rated the answer `score` (1–5) at `now`. A rating of 1 or 2
    /// reopens the comment for `parent` (an appeal; none when the unit has no parent). Refused
    /// before an answer, once the answer was rated, and for a score out of 1–5.
    public func ratedAnswer(_ score: Int, parent: String?, at now: String) throws(ValidationFailure) -> Feedback {
        var problems = FieldProblems()
        if answer == nil || answerRating != nil {
            problems.fail(
                "score", "an answer is rated once, after it is given",
                "câu trả lời chỉ được đánh giá một lần, sau khi có")
        }
        if !FeedbackDraft.scores.contains(score) {
            problems.fail("score", "choose a score from 1 to 5", "hãy chọn điểm từ 1 đến 5")
        }
        try problems.check()
        var next = self
        next.answerRating = score
        if score <= 2, let parent {
            next.appealUnit = parent
            next.appealedAt = now
        }
        return next
    }

    /// Unanswered after its due day.
    public func answerIsOverdue(today: CivilDate) -> Bool {
        guard awaitsAnswer, let due = answerDue else { return false }
        return today > due
    }

    /// Whether the unit's answer came by its due day; nil while there is none.
    public var answeredOnTime: Bool? {
        guard let answeredAt, let day = HanoiTime.day(of: answeredAt), let due = unitAnswerDue else { return nil }
        return day <= due
    }

    /// The rating with the unit's `text` as its interim reply (`interim`) or its answer, at `now`;
    /// refused unless the comment is published and unanswered, for an empty text, and for a
    /// second interim reply.
    public func answered(_ text: String, interim isInterim: Bool, at now: String) throws(ValidationFailure) -> Feedback
    {
        var problems = FieldProblems()
        let text = HumanText.cleaned(text, multiline: true)
        if !awaitsAnswer {
            problems.fail(
                "answer", "only a published comment not yet answered takes an answer",
                "chỉ ý kiến đã công bố và chưa được trả lời mới nhận câu trả lời")
        }
        if isInterim && interimAt != nil && appealUnit == nil {
            problems.fail("interim", "one interim reply only", "chỉ được trả lời tạm một lần")
        }
        if text.isEmpty || text.count > 4_000 {
            problems.fail("answer", "an answer has 1 to 4,000 characters", "câu trả lời có 1 đến 4.000 ký tự")
        }
        if isInterim && appealUnit != nil {
            problems.fail("interim", "an appeal takes no interim reply", "kháng nghị không nhận trả lời tạm")
        }
        try problems.check()
        var next = self
        if appealUnit != nil {
            next.appealAnswer = PersonalData.masked(text)
            next.appealAnsweredAt = now
        } else if isInterim {
            next.interim = PersonalData.masked(text)
            next.interimAt = now
        } else {
            next.answer = PersonalData.masked(text)
            next.answeredAt = now
        }
        return next
    }
}
