/// A rule values must keep; a value that breaks one is refused with the rule's message.
///
/// - `range`: the indicator's value lies within `minimum`…`maximum` (either may be absent);
/// - `required`: a submission for a unit and period (a form, a file) must hold the indicator,
///   when it applies to the unit and the period has its frequency;
/// - `compare`: for one unit and period, `indicator` `comparison` `other` (e.g. end-to-end online
///   services ≤ all online services), checked when both values exist.
public struct ValidationRule: Codable, Sendable, Hashable, Identifiable {
    public var code: String
    public var kind: Kind
    public var indicator: String
    public var minimum: Double?
    public var maximum: Double?
    public var comparison: Comparison?
    public var other: String?
    /// Shown to whoever enters a value that breaks the rule.
    public var message: String

    public var id: String { code }

    public enum Kind: String, Codable, Sendable, CaseIterable, ListedValues {
        case range, required, compare
    }

    public enum Comparison: String, Codable, Sendable, CaseIterable, ListedValues {
        case lessThan = "<"
        case lessOrEqual = "<="
        case equal = "="
        case greaterOrEqual = ">="
        case greaterThan = ">"

        public func holds(_ left: Double, _ right: Double) -> Bool {
            switch self {
            case .lessThan: left < right
            case .lessOrEqual: left <= right
            case .equal: left == right
            case .greaterOrEqual: left >= right
            case .greaterThan: left > right
            }
        }
    }

    public init(
        code: String, kind: Kind, indicator: String, minimum: Double? = nil, maximum: Double? = nil,
        comparison: Comparison? = nil, other: String? = nil, message: String
    ) {
        self.code = code
        self.kind = kind
        self.indicator = indicator
        self.minimum = minimum
        self.maximum = maximum
        self.comparison = comparison
        self.other = other
        self.message = message
    }

    public static func range(
        _ code: String, _ indicator: String, minimum: Double? = nil, maximum: Double? = nil, message: String
    ) -> ValidationRule {
        ValidationRule(
            code: code, kind: .range, indicator: indicator, minimum: minimum, maximum: maximum, message: message)
    }

    public static func required(_ code: String, _ indicator: String, message: String) -> ValidationRule {
        ValidationRule(code: code, kind: .required, indicator: indicator, message: message)
    }

    public static func compare(
        _ code: String, _ indicator: String, _ comparison: Comparison, _ other: String, message: String
    ) -> ValidationRule {
        ValidationRule(
            code: code, kind: .compare, indicator: indicator, comparison: comparison, other: other, message: message)
    }

    /// The indicators the rule reads.
    public var indicators: [String] { [indicator] + (other.map { [$0] } ?? []) }

    /// Every problem with the rule itself, each naming its field (in both languages).
    public func problems(known: Set<String>) -> [RowError] {
        var problems = FieldProblems()
        if !IndicatorCode.isValid(code) { problems.fail("code", IndicatorCode.rule, IndicatorCode.ruleVi) }
        if message.trimmingWhitespace().isEmpty {
            problems.fail("message", "a rule needs a message", "quy tắc cần một thông báo cho người nhập")
        }
        if !known.contains(indicator) {
            problems.fail(
                "indicator", "no indicator has code \"\(indicator)\"", "không có chỉ tiêu mã \"\(indicator)\"")
        }
        switch kind {
        case .range:
            if minimum == nil && maximum == nil {
                problems.fail(
                    "minimum", "a range needs a minimum, a maximum or both",
                    "khoảng giá trị cần giá trị nhỏ nhất, lớn nhất hoặc cả hai")
            }
            if let minimum, let maximum, minimum > maximum {
                problems.fail(
                    "maximum", "the maximum is below the minimum", "giá trị lớn nhất nhỏ hơn giá trị nhỏ nhất")
            }
        case .required:
            break
        case .compare:
            if comparison == nil {
                problems.fail("comparison", "expected one of <, <=, =, >=, >", "cần một trong <, <=, =, >=, >")
            }
            if let other {
                if !known.contains(other) {
                    problems.fail("other", "no indicator has code \"\(other)\"", "không có chỉ tiêu mã \"\(other)\"")
                }
                if other == indicator {
                    problems.fail(
                        "other", "a rule compares two different indicators", "quy tắc so sánh hai chỉ tiêu khác nhau")
                }
            } else {
                problems.fail("other", "a comparison needs the other indicator", "phép so sánh cần chỉ tiêu thứ hai")
            }
        }
        return problems.errors
    }
}

/// A rule broken by a value.
public struct RuleViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var rule: String
    /// The indicator whose value is refused.
    public var indicator: String
    public var message: String

    public var description: String { "\(message) (rule \(rule))" }
}

/// Checks values of one unit and period against the rules.
public enum RuleCheck {
    /// The rules broken once `changed` values are written.
    ///
    /// `values` holds every value the unit will have for the period (stored ones overlaid with the
    /// new ones). Only rules that read a changed indicator are checked, so an old breach elsewhere
    /// does not block an unrelated entry. `required` rules are checked only for a whole submission:
    /// pass `submission` with the indicators that apply to the unit and period.
    public static func violations(
        of rules: [ValidationRule], values: [String: Double], changed: Set<String>,
        submission applicable: Set<String>? = nil
    ) -> [RuleViolation] {
        var found: [RuleViolation] = []
        for rule in rules {
            switch rule.kind {
            case .range:
                guard changed.contains(rule.indicator), let value = values[rule.indicator] else { continue }
                if let minimum = rule.minimum, value < minimum {
                    found.append(RuleViolation(rule: rule.code, indicator: rule.indicator, message: rule.message))
                } else if let maximum = rule.maximum, value > maximum {
                    found.append(RuleViolation(rule: rule.code, indicator: rule.indicator, message: rule.message))
                }
            case .required:
                guard let applicable, applicable.contains(rule.indicator), values[rule.indicator] == nil else {
                    continue
                }
                found.append(RuleViolation(rule: rule.code, indicator: rule.indicator, message: rule.message))
            case .compare:
                guard let other = rule.other, let comparison = rule.comparison,
                    changed.contains(rule.indicator) || changed.contains(other),
                    let left = values[rule.indicator], let right = values[other],
                    !comparison.holds(left, right)
                else { continue }
                // Blame the value being written: the left one if it changed, else the right one.
                let blamed = changed.contains(rule.indicator) ? rule.indicator : other
                found.append(RuleViolation(rule: rule.code, indicator: blamed, message: rule.message))
            }
        }
        return found
    }
}
