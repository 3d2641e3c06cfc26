/// What values are checked against: definitions, units, rules and the values already stored.
public struct ValueCheckContext: Sendable {
    public var indicators: [String: Indicator]
    public var unitKinds: [String: UnitKind]
    /// The day each former unit ceased, where known: it reports no period that begins on or after it
    /// (`ReportingSpan`).
    public var ceased: [String: CivilDate]
    public var rules: [ValidationRule]
    /// Stored values that rules may compare against, for the units and periods being written.
    public var stored: [DataValueKey: Double]
    /// The day of the submission in Hà Nội: no value is taken for a period that begins after it.
    /// Nil checks no period's start.
    public var today: CivilDate?

    public init(
        indicators: [String: Indicator], unitKinds: [String: UnitKind], ceased: [String: CivilDate] = [:],
        rules: [ValidationRule], stored: [DataValueKey: Double] = [:], today: CivilDate? = nil
    ) {
        self.indicators = indicators
        self.unitKinds = unitKinds
        self.ceased = ceased
        self.rules = rules
        self.stored = stored
        self.today = today
    }
}

/// Checks submitted values: each field, then the rules over each unit and period.
public enum ValueCheck {
    public static let maximumCommentLength = 2000

    /// The checked values in input order, or every problem found (each naming its line or field).
    ///
    /// With `submission`, the inputs are a whole submission for their units and periods (a file, a
    /// form), so `required` rules apply to them too.
    public static func check(
        _ inputs: [DataValueInput], in context: ValueCheckContext, submission: Bool
    ) throws(ValidationFailure) -> [CheckedValue] {
        var checker = ValueChecker(context: context, submission: submission)
        let checked = checker.check(inputs)
        try checker.finish()
        return checked
    }

    /// Rules over each (unit, period) of the submitted values, stored values overlaid with new ones.
    static func ruleErrors(
        _ values: [CheckedValue], inputs: [DataValueKey: DataValueInput.Origin], context: ValueCheckContext,
        submission: Bool
    ) -> [RowError] {
        typealias Cell = RuleCell
        let ruled = Set(context.rules.flatMap(\.indicators))
        var groups: [Cell: [CheckedValue]] = [:]
        var order: [Cell] = []
        for value in values {
            let cell = Cell(unit: value.key.unit, period: value.key.period)
            if groups[cell] == nil { order.append(cell) }
            groups[cell, default: []].append(value)
        }
        var errors: [RowError] = []
        for cell in order {
            let group = groups[cell] ?? []
            var current: [String: Double] = [:]
            for code in ruled {
                current[code] = context.stored[DataValueKey(indicator: code, unit: cell.unit, period: cell.period)]
            }
            for value in group { current[value.key.indicator] = value.value }
            var applicable: Set<String>?
            if submission, let kind = context.unitKinds[cell.unit], let period = try? Period(cell.period) {
                applicable = Set(
                    ruled.filter { code in
                        guard let indicator = context.indicators[code] else { return false }
                        return indicator.appliesTo.contains(kind) && indicator.frequency == period.frequency
                    })
            }
            let violations = RuleCheck.violations(
                of: context.rules, values: current, changed: Set(group.map(\.key.indicator)), submission: applicable)
            for violation in violations {
                let key = DataValueKey(indicator: violation.indicator, unit: cell.unit, period: cell.period)
                let origin = inputs[key] ?? group.first.flatMap { inputs[$0.key] } ?? .single
                let input = DataValueInput(key: key, value: "", origin: origin)
                let field: DataValueInput.Field = inputs[key] == nil ? .indicator : .value
                errors.append(input.error(field, violation.description))
            }
        }
        return errors
    }
}

/// A unit and period: what rules are checked over.
struct RuleCell: Hashable {
    var unit: String
    var period: String

    init(unit: String, period: String) {
        self.unit = unit
        self.period = period
    }

    init(_ key: DataValueKey) {
        self.init(unit: key.unit, period: key.period)
    }
}

extension RowError {
    /// File order: by line (or item), unnamed places last, then as found.
    static func precedes(_ a: (offset: Int, element: RowError), _ b: (offset: Int, element: RowError)) -> Bool {
        let (left, right) = (a.element.place, b.element.place)
        return left != right ? left < right : a.offset < b.offset
    }

    /// The line, or the item of a `dataValues[i]` column; `Int.max` for neither.
    var place: Int {
        if let line { return line }
        guard let column, column.hasPrefix("dataValues["), let end = column.firstIndex(of: "]") else { return .max }
        return Int(column[column.index(column.startIndex, offsetBy: 11)..<end]) ?? .max
    }
}

extension DataValueInput.Origin {
    var label: String {
        switch self {
        case .line(let line): "on line \(line)"
        case .item(let index): "at dataValues[\(index)]"
        case .single: "in this request"
        }
    }
}

extension Frequency {
    /// "month", "quarter", "semester", "year".
    public var periodName: String {
        switch self {
        case .monthly: "month"
        case .quarterly: "quarter"
        case .semiannual: "semester"
        case .yearly: "year"
        }
    }
}
