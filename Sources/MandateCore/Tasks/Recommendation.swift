/// A recommendation (kiến nghị) raised by a unit to another unit or to the committee, which must
/// answer it by its due date.
public struct Recommendation: Codable, Sendable, Hashable {
    public var id: String
    public var fromUnit: String
    public var toUnit: String
    public var title: String
    public var body: String
    public var due: CivilDate
    public var raisedBy: String?
    public var raisedAt: String
    /// When the raising unit's head signed it off, making it public and answerable (nil while it
    /// waits): `SignOff`.
    public var signedOffAt: String?
    public var signedOffBy: String?
    public var answer: String?
    public var answeredBy: String?
    public var answeredAt: String?
    public var illustrative: Bool

    public init(
        id: String, fromUnit: String, toUnit: String, title: String, body: String, due: CivilDate,
        raisedBy: String?, raisedAt: String, signedOffAt: String? = nil, signedOffBy: String? = nil,
        answer: String? = nil, answeredBy: String? = nil,
        answeredAt: String? = nil, illustrative: Bool = false
    ) {
        self.id = id
        self.fromUnit = fromUnit
        self.toUnit = toUnit
        self.title = title
        self.body = body
        self.due = due
        self.raisedBy = raisedBy
        self.raisedAt = raisedAt
        self.signedOffAt = signedOffAt
        self.signedOffBy = signedOffBy
        self.answer = answer
        self.answeredBy = answeredBy
        self.answeredAt = answeredAt
        self.illustrative = illustrative
    }

    public var isAnswered: Bool { answeredAt != nil }

    /// Whether its unit head signed it off: only then is it public and may it be answered.
    public var isSignedOff: Bool { signedOffAt != nil }

    /// Days since it reached the unit it is addressed to (its sign-off), on `today`.
    public func age(today: CivilDate) -> Int {
        today.dayNumber - (CivilDate(iso: signedOffAt ?? raisedAt) ?? today).dayNumber
    }

    /// Unanswered past its due date.
    public func isOverdue(today: CivilDate) -> Bool {
        !isAnswered && today > due
    }

    /// Why it takes no answer (it has one already, or it is not signed off yet), or nil when it
    /// awaits one.
    public var answerRefusal: StateConflict? {
        if isAnswered { return StateConflict(field: "recommendation", "recommendation \(id) was already answered") }
        if !isSignedOff {
            return StateConflict(
                field: "recommendation", "recommendation \(id) awaits the sign-off of its unit's head")
        }
        return nil
    }

    /// Why it takes no sign-off (it has one already), or nil when it awaits one.
    public var signOffRefusal: StateConflict? {
        isSignedOff ? StateConflict(field: "recommendation", "recommendation \(id) was already signed off") : nil
    }

    /// An answer's text, trimmed: required.
    public static func answerText(_ text: String) throws(ValidationFailure) -> String {
        let text = HumanText.cleaned(text, multiline: true)
        guard !text.isEmpty, text.count <= 20_000 else {
            throw ValidationFailure(field: "answer", reason: "an answer is required (up to 20,000 characters)")
        }
        return text
    }
}

/// What a unit sends to raise a recommendation.
public struct RecommendationInput: Codable, Sendable, Hashable {
    public var fromUnit: String
    public var toUnit: String
    public var title: String
    public var body: String
    public var due: String

    public init(fromUnit: String, toUnit: String, title: String, body: String, due: String) {
        self.fromUnit = fromUnit
        self.toUnit = toUnit
        self.title = title
        self.body = body
        self.due = due
    }

    public func check(
        today: CivilDate, isKnownUnit: (String) -> Bool
    ) throws(ValidationFailure) -> (
        title: String, body: String, due: CivilDate
    ) {
        var errors: [RowError] = []
        func fail(_ field: String, _ reason: String) {
            errors.append(RowError(line: nil, column: field, reason: reason))
        }
        if !isKnownUnit(fromUnit) { fail("fromUnit", "unknown unit \"\(fromUnit)\"") }
        if !isKnownUnit(toUnit) { fail("toUnit", "unknown unit \"\(toUnit)\"") }
        if fromUnit == toUnit { fail("toUnit", "a unit does not address a recommendation to itself") }
        let title = HumanText.cleaned(title)
        if title.isEmpty || title.count > 500 { fail("title", "a title has 1 to 500 characters") }
        let body = HumanText.cleaned(body, multiline: true)
        if body.count > 20_000 { fail("body", "the text has at most 20,000 characters") }
        let day = FieldProblems.day(due)
        if day == nil {
            errors.append(FieldProblems.notADay("due", due))
        } else if let day, day < today {
            fail("due", "the due date \(day) has already passed")
        }
        guard errors.isEmpty, let day else { throw ValidationFailure(errors) }
        return (title, body, day)
    }
}
