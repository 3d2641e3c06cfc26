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
