import Foundation

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
        firstAnswerDue?.adding(days: interimAt == nil ? 0 : Self.answerDays)
    }

    /// The day the unit's answer was due before any interim reply: `answerDays` after the
    /// comment's first publication (an interim reply is due by then).
    public var firstAnswerDue: CivilDate? {
        publishedAt.flatMap(HanoiTime.day)?.adding(days: Self.answerDays)
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

    /// Whether the comment counts as answered on time in its unit's delivery on `day`: true when
    /// the unit's own answer came by its due day (`unitAnswerDue`), false when it came later or
    /// the due day passed before `day` without one; nil while neither (not published by `day`,
    /// or not yet due and unanswered). An answer after `day` is not yet known on `day`.
    public func answerTimeliness(on day: CivilDate) -> Bool? {
        guard let due = unitAnswerDue, let published = publishedAt.flatMap(HanoiTime.day), published <= day else {
            return nil
        }
        if let answered = answeredAt.flatMap(HanoiTime.day), answered <= day { return answered <= due }
        return day > due ? false : nil
    }

    /// Per unit rated, the share (0–1) of its comments counted on `day` that were answered on
    /// time (`answerTimeliness`); units with none counted are left out.
    public static func answeredOnTimeRates(_ feedback: some Sequence<Feedback>, on day: CivilDate) -> [String: Double] {
        var tallies: [String: (onTime: Int, counted: Int)] = [:]
        for rating in feedback {
            guard let onTime = rating.answerTimeliness(on: day) else { continue }
            tallies[rating.unit, default: (0, 0)].counted += 1
            if onTime { tallies[rating.unit, default: (0, 0)].onTime += 1 }
        }
        return tallies.mapValues { Double($0.onTime) / Double($0.counted) }
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
