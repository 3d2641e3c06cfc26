import Foundation

/// What the transparency log holds of feedback (docs/TRANSPARENCY.md): each accepted rating as a
/// digest, never its text; and each interim reply and answer a unit publishes.
extension Feedback {
    /// The stages of the answer loop that enter the log.
    public enum AnswerStage: String, Sendable, CaseIterable {
        /// The unit's interim reply, which moves the due date once.
        case interim
        /// The unit's answer.
        case answer
        /// The parent unit's answer on appeal.
        case appeal
    }

    /// The log key of the rating received with `receipt`: the SHA-256 of the receipt, so that the
    /// key names the rating without giving the receipt away (its holder may rate the answer).
    public static func ratingFactKey(receipt: String) -> String {
        "accepted-rating/" + SHA256Hex.of(Data("mandate-receipt\n\(receipt)".utf8))
    }

    /// The SHA-256 of what was received, one line each: the receipt, the unit, the task, the
    /// month, the overall score, each factor as `name:score` in the order of `SipasFactor`, and
    /// the comment as masked. It binds the rating's content without showing its text, and only
    /// the receipt's holder, who knows the rest, can compute it again.
    public var digest: String {
        let factorText = SipasFactor.allCases.compactMap { factor in factors[factor].map { "\(factor.rawValue):\($0)" }
        }
        let lines = [
            receipt, unit, task ?? "", period, String(overall), factorText.joined(separator: ","), comment ?? "",
        ]
        return SHA256Hex.of(Data(lines.joined(separator: "\n").utf8))
    }

    /// The fact logged when the rating is accepted: the unit, the task, the month, the scores,
    /// whether it has a comment, and the digest; no text and nothing of the person.
    public func acceptedFact() throws(ValidationFailure) -> PublishedFact {
        var fields = [
            "unit": unit, "period": period, "overall": String(overall), "digest": digest,
            "comment": comment == nil ? "false" : "true",
        ]
        if let task { fields["task"] = task }
        for factor in SipasFactor.allCases {
            if let score = factors[factor] { fields[factor.rawValue] = String(score) }
        }
        if illustrative { fields["illustrative"] = "true" }
        return try PublishedFact(kind: .acceptedRating, key: Self.ratingFactKey(receipt: receipt), fields: fields)
    }

    /// The stages of the answer loop this comment has been through, in order.
    public var answerStages: [AnswerStage] {
        [interimAt == nil ? nil : .interim, answeredAt == nil ? nil : .answer, appealAnsweredAt == nil ? nil : .appeal]
            .compactMap { $0 }
    }

    /// The facts of every stage the comment has been through, in order.
    public func answerFacts() throws(ValidationFailure) -> [PublishedFact] {
        var facts: [PublishedFact] = []
        for stage in answerStages { if let fact = try answerFact(stage) { facts.append(fact) } }
        return facts
    }

    /// The fact logged when a unit publishes `stage`: the comment's public reference, the unit
    /// that answered, when, the day it was due, whether it came by then, and the SHA-256 of its
    /// text (which the comment's page shows). Nil when the comment has not reached that stage.
    public func answerFact(_ stage: AnswerStage) throws(ValidationFailure) -> PublishedFact? {
        guard let reference else { return nil }
        let (text, at, unit, due): (String?, String?, String, CivilDate?) =
            switch stage {
            case .interim: (interim, interimAt, self.unit, firstAnswerDue)
            case .answer: (answer, answeredAt, self.unit, unitAnswerDue)
            case .appeal: (appealAnswer, appealAnsweredAt, appealUnit ?? self.unit, answerDue)
            }
        guard let text, let at else { return nil }
        var fields = [
            "reference": reference, "unit": unit, "stage": stage.rawValue, "publishedAt": at,
            "textSha256": SHA256Hex.of(Data(text.utf8)),
        ]
        if stage == .appeal { fields["rated"] = self.unit }
        if let due {
            fields["due"] = due.description
            if let day = HanoiTime.day(of: at) { fields["onTime"] = day <= due ? "true" : "false" }
        }
        if illustrative { fields["illustrative"] = "true" }
        return try PublishedFact(
            kind: .publishedAnswer, key: "published-answer/\(reference)/\(stage.rawValue)", fields: fields)
    }
}
