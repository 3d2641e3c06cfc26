/// Checks a submission part by part (a long file is checked while the parts before are stored):
/// each value's fields as its part comes, duplicates across the parts, then the rules over the
/// whole submission in `finish`. Any problem anywhere rejects the whole submission.
public struct ValueChecker: Sendable {
    public private(set) var context: ValueCheckContext
    public let submission: Bool
    /// Every problem found so far.
    public private(set) var errors: [RowError] = []
    private var firstOrigin: [DataValueKey: DataValueInput.Origin] = [:]
    private var periods: [String: Period] = [:]
    /// What each row needs of its indicator, so that a row copies no definition.
    private let reported: [String: Reported]
    /// The checked values, kept only when rules need the whole submission.
    private var ruled: [CheckedValue] = []
    /// The units and periods of rows with a problem of their own: rules over them would compare
    /// values that are not there, and wait until those rows are mended.
    private var failedCells: Set<RuleCell> = []

    public init(context: ValueCheckContext, submission: Bool, expected: Int = 0) {
        self.context = context
        self.submission = submission
        reported = context.indicators.mapValues(Reported.init)
        firstOrigin.reserveCapacity(expected)
    }

    /// True while no problem has been found.
    public var isClean: Bool { errors.isEmpty }

    /// True when the rules are to be checked and need the stored values of `ruledKeys`' units and
    /// periods, given to `stored` before `finish`.
    public var needsStoredValues: Bool { !context.rules.isEmpty }

    /// The keys of the values the rules will check.
    public var ruledKeys: some Sequence<DataValueKey> { ruled.lazy.map(\.key) }

    /// Stored values the rules compare against (see `ValueCheckContext.stored`).
    public var stored: [DataValueKey: Double] {
        get { context.stored }
        set { context.stored = newValue }
    }

    /// The values of `inputs` that passed their own checks, in input order.
    public mutating func check(_ inputs: some Collection<DataValueInput>) -> [CheckedValue] {
        var checked: [CheckedValue] = []
        checked.reserveCapacity(inputs.count)
        // Files list many values of one indicator, and of one period, in a row: the last ones are
        // kept at hand.
        var indicator: (code: String, reported: Reported?) = ("", nil)
        var period: (id: String, period: Period?) = ("", nil)
        for input in inputs {
            let before = errors.count
            let key = input.key
            if key.indicator != indicator.code { indicator = (key.indicator, reported[key.indicator]) }
            let definition = indicator.reported
            if definition == nil {
                errors.append(input.error(.indicator, "no indicator has code \"\(key.indicator)\""))
            }
            let kind = context.unitKinds[key.unit]
            if let kind {
                if let definition, !definition.reportedBy(kind) {
                    errors.append(input.error(.unit, "\(key.indicator) is not reported by a \(kind.rawValue)"))
                }
            } else {
                errors.append(input.error(.unit, "no unit has code \"\(key.unit)\""))
            }
            // A period that is not one is reported on every row that names it.
            if key.period != period.id || period.period == nil { period = (key.period, self.period(input)) }
            if let day = context.ceased[key.unit], let found = period.period, !ReportingSpan.reports(found, ceased: day)
            {
                errors.append(
                    input.error(
                        .period,
                        "\(key.unit) ceased on \(day); \(found.id) is reported under the unit that took it over"))
            }
            if let today = context.today, let found = period.period, found.start > today {
                errors.append(
                    input.error(.period, "\(found.id) has not begun: a value is taken from \(found.start)"))
            }
            if let definition, let found = period.period, found.frequency != definition.frequency {
                errors.append(
                    input.error(
                        .period,
                        "\(key.indicator) is reported \(definition.frequency.rawValue); \(found.id) is a "
                            + "\(found.frequency.periodName)"))
            }
            let value = ValueText.parse(input.value, as: definition?.valueType)
            if value == nil {
                errors.append(input.error(.value, "\"\(input.value)\" is not a number"))
            } else if let value, let definition, let reason = definition.valueType.problem(with: value) {
                errors.append(input.error(.value, reason))
            }
            var evidence: String?
            if let text = input.evidence, text.isEmpty {
                evidence = ""
            } else if let text = input.evidence {
                evidence = Evidence.normalised(text)
                if evidence == nil { errors.append(input.error(.evidence, Evidence.rule)) }
            }
            if let comment = input.comment, comment.utf8.count > ValueCheck.maximumCommentLength,
                comment.count > ValueCheck.maximumCommentLength
            {
                errors.append(
                    input.error(.comment, "a comment is at most \(ValueCheck.maximumCommentLength) characters"))
            }
            if let first = firstOrigin.insertUnlessPresent(input.origin, forKey: key) {
                errors.append(input.error(nil, "\(key) appears twice; first \(first.label)"))
            }
            guard errors.count == before, let value else {
                failedCells.insert(RuleCell(unit: key.unit, period: key.period))
                continue
            }
            checked.append(CheckedValue(key: key, value: value, comment: input.comment, evidence: evidence))
        }
        if !context.rules.isEmpty { ruled += checked }
        return checked
    }

    /// The period of `input`, or nil with its problem reported on every row that names it.
    private mutating func period(_ input: DataValueInput) -> Period? {
        if let known = periods[input.key.period] { return known }
        do {
            let period = try Period(input.key.period)
            periods[input.key.period] = period
            return period
        } catch {
            errors.append(input.error(.period, error.reason))
            return nil
        }
    }

    /// Checks the rules over everything checked (but the units and periods of rows that failed their
    /// own checks), then throws every problem found, with the rows that could not be read at all,
    /// in the order of the file.
    public mutating func finish(adding unread: [RowError] = []) throws(ValidationFailure) {
        if !context.rules.isEmpty {
            let clean = failedCells.isEmpty ? ruled : ruled.filter { !failedCells.contains(RuleCell($0.key)) }
            errors += ValueCheck.ruleErrors(clean, inputs: firstOrigin, context: context, submission: submission)
        }
        errors += unread
        guard !errors.isEmpty else { return }
        throw ValidationFailure(errors.enumerated().sorted { RowError.precedes($0, $1) }.map(\.element))
    }

    /// What a row needs of its indicator.
    struct Reported: Sendable {
        /// One bit per `UnitKind` that reports it.
        let kinds: UInt8
        let frequency: Frequency
        let valueType: ValueType

        init(_ indicator: Indicator) {
            kinds = indicator.appliesTo.reduce(0) { $0 | Self.bit($1) }
            frequency = indicator.frequency
            valueType = indicator.valueType
        }

        func reportedBy(_ kind: UnitKind) -> Bool { kinds & Self.bit(kind) != 0 }

        static func bit(_ kind: UnitKind) -> UInt8 {
            switch kind {
            case .committee: 1
            case .ministry: 2
            case .province: 4
            case .commune: 8
            case .partner: 16
            }
        }
    }
}

extension Dictionary {
    /// Stores `value` under `key` unless a value is there already, which is then returned; one
    /// look-up either way.
    mutating func insertUnlessPresent(_ value: Value, forKey key: Key) -> Value? {
        var present: Value?
        func keep(_ slot: inout Value?) {
            if let slot { present = slot } else { slot = value }
        }
        keep(&self[key])
        return present
    }
}
