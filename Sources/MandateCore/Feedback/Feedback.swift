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

extension Feedback {
    /// The month a rating received at `instant` counts in: `YYYY-MM` of its Hà Nội day.
    public static func period(of instant: String) -> String? {
        HanoiTime.day(of: instant).map(period(ofDay:))
    }

    /// `YYYY-MM` of a day.
    public static func period(ofDay day: CivilDate) -> String {
        String(format: "%04d-%02d", day.year, day.month)
    }

    /// The first and last months (`YYYY-MM`) of `period`, the ratings a ranking of it counts.
    public static func months(of period: Period) -> (from: String, through: String) {
        (self.period(ofDay: period.start), self.period(ofDay: period.end))
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
