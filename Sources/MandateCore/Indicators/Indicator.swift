/// What an indicator's values are.
public enum ValueType: String, Codable, Sendable, CaseIterable, ListedValues {
    /// Any finite number.
    case number
    /// 0 to 100.
    case percent
    /// 1 for yes, 0 for no.
    case yesno
}

/// Which way is better.
public enum Direction: String, Codable, Sendable, CaseIterable, ListedValues {
    case higher
    case lower
}

/// How values of units below are combined into a value for the unit above.
public enum RollupMethod: String, Codable, Sendable, CaseIterable, ListedValues {
    case sum
    case mean
    /// Σ value × weight ÷ Σ weight, the weight being the same unit's value of a denominator indicator.
    case weightedMean
    /// Not combined (e.g. yes/no facts of one unit).
    case none
}

/// A roll-up method and, for a weighted mean, the indicator that weighs each value.
public struct RollupRule: Codable, Sendable, Hashable {
    public var method: RollupMethod
    /// The denominator indicator's code; only for `weightedMean`.
    public var denominator: String?

    public init(_ method: RollupMethod, denominator: String? = nil) {
        self.method = method
        self.denominator = denominator
    }

    public static let sum = RollupRule(.sum)
    public static let mean = RollupRule(.mean)
    public static let none = RollupRule(.none)
    public static func weightedMean(by denominator: String) -> RollupRule {
        RollupRule(.weightedMean, denominator: denominator)
    }
}

/// The value an indicator should reach in a year.
public struct IndicatorTarget: Codable, Sendable, Hashable {
    public var year: Int
    public var value: Double

    public init(year: Int, value: Double) {
        self.year = year
        self.value = value
    }
}

/// A measured quantity of the programme, reported by units for periods.
public struct Indicator: Codable, Sendable, Hashable, Identifiable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    /// E.g. "%", "km", "người" (persons).
    public var unitOfMeasure: String
    public var valueType: ValueType
    public var direction: Direction
    public var frequency: Frequency
    /// The unit kinds that report it.
    public var appliesTo: [UnitKind]
    public var rollup: RollupRule
    /// Targets by year, ascending.
    public var targets: [IndicatorTarget]
    /// A report is due this many days after its period ends (see `Period.dueDate(afterDays:)`).
    public var dueDays: Int
    /// Demo data that is not a published fact.
    public var illustrative: Bool

    public static let defaultDueDays = 30

    public var id: String { code }

    public init(
        code: String, nameVi: String, nameEn: String, unitOfMeasure: String, valueType: ValueType,
        direction: Direction = .higher, frequency: Frequency, appliesTo: [UnitKind], rollup: RollupRule,
        targets: [IndicatorTarget] = [], dueDays: Int = Indicator.defaultDueDays, illustrative: Bool = false
    ) {
        self.code = code
        self.nameVi = HumanText.cleaned(nameVi)
        self.nameEn = HumanText.cleaned(nameEn)
        self.unitOfMeasure = unitOfMeasure
        self.valueType = valueType
        self.direction = direction
        self.frequency = frequency
        self.appliesTo = appliesTo
        self.rollup = rollup
        self.targets = targets.sorted { $0.year < $1.year }
        self.dueDays = dueDays
        self.illustrative = illustrative
    }

    /// Reads a definition; `targets`, `dueDays` and `illustrative` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            nameVi: try container.decode(String.self, forKey: .nameVi),
            nameEn: try container.decode(String.self, forKey: .nameEn),
            unitOfMeasure: try container.decode(String.self, forKey: .unitOfMeasure),
            valueType: try container.decode(ValueType.self, forKey: .valueType),
            direction: try container.decode(Direction.self, forKey: .direction),
            frequency: try container.decode(Frequency.self, forKey: .frequency),
            appliesTo: try container.decode([UnitKind].self, forKey: .appliesTo),
            rollup: try container.decode(RollupRule.self, forKey: .rollup),
            targets: try container.decodeIfPresent([IndicatorTarget].self, forKey: .targets) ?? [],
            dueDays: try container.decodeIfPresent(Int.self, forKey: .dueDays) ?? Indicator.defaultDueDays,
            illustrative: try container.decodeIfPresent(Bool.self, forKey: .illustrative) ?? false)
    }

    /// The target for `year`, if one is set.
    public func target(for year: Int) -> Double? {
        targets.first { $0.year == year }?.value
    }

    /// The unit kinds whose values roll up: the applicable kinds with no applicable kind below them.
    /// So an indicator reported by provinces and communes rolls up from communes only, and a
    /// province's own value stands beside its communes' roll-up instead of being counted twice.
    public var rollupKinds: Set<UnitKind> {
        Set(appliesTo.filter { kind in !appliesTo.contains { $0.allowedParentKinds.contains(kind) } })
    }

    /// Every problem with the definition itself, each naming its field (in both languages).
    public func problems() -> [RowError] {
        var problems = FieldProblems()
        if !IndicatorCode.isValid(code) { problems.fail("code", IndicatorCode.rule, IndicatorCode.ruleVi) }
        if nameVi.trimmingWhitespace().isEmpty {
            problems.fail("nameVi", "the Vietnamese name is empty", "thiếu tên tiếng Việt")
        }
        if nameEn.trimmingWhitespace().isEmpty {
            problems.fail("nameEn", "the English name is empty", "thiếu tên tiếng Anh")
        }
        if appliesTo.isEmpty {
            problems.fail("appliesTo", "name at least one unit kind", "chọn ít nhất một loại đơn vị báo cáo")
        }
        if !(0...366).contains(dueDays) {
            problems.fail(
                "dueDays", "a report is due 0 to 366 days after its period",
                "hạn báo cáo là 0 đến 366 ngày sau kỳ báo cáo")
        }
        switch (rollup.method, rollup.denominator) {
        case (.weightedMean, nil):
            problems.fail(
                "rollup.denominator", "a weighted mean needs a denominator indicator",
                "bình quân gia quyền cần một chỉ tiêu làm trọng số")
        case (.weightedMean, let denominator?) where denominator == code:
            problems.fail(
                "rollup.denominator", "an indicator cannot weigh itself", "chỉ tiêu không thể làm trọng số cho chính nó"
            )
        case (.weightedMean, _): break
        case (_, .some):
            problems.fail(
                "rollup.denominator", "only a weighted mean has a denominator",
                "chỉ bình quân gia quyền mới có chỉ tiêu trọng số")
        case (_, nil): break
        }
        if valueType == .yesno && (rollup.method == .sum || rollup.method == .weightedMean) {
            problems.fail(
                "rollup", "a yes/no value rolls up only by mean (the share of yes) or not at all",
                "giá trị có/không chỉ tổng hợp bằng trung bình (tỷ lệ có) hoặc không tổng hợp")
        }
        var years = Set<Int>()
        for target in targets {
            if !years.insert(target.year).inserted {
                problems.fail("targets", "two targets for \(target.year)", "hai mục tiêu cho năm \(target.year)")
            }
            if !Period.years.contains(target.year) {
                problems.fail(
                    "targets", "the year \(target.year) is out of range", "năm \(target.year) nằm ngoài phạm vi")
            }
            if let reason = valueType.problem(with: target.value) {
                problems.fail(
                    "targets", "\(target.year): \(reason)",
                    "\(target.year): \(valueType.problemVi(with: target.value) ?? reason)")
            }
        }
        return problems.errors
    }
}

extension ValueType {
    /// `problem(with:)` in Vietnamese.
    public func problemVi(with value: Double) -> String? {
        guard problem(with: value) != nil else { return nil }
        guard value.isFinite else { return "giá trị không phải số hữu hạn" }
        switch self {
        case .number: return nil
        case .percent: return "tỷ lệ phần trăm từ 0 đến 100"
        case .yesno: return "giá trị có/không là 1 (có) hoặc 0 (không)"
        }
    }

    /// Why `value` is not a value of this type; nil when it is one.
    public func problem(with value: Double) -> String? {
        guard value.isFinite else { return "the value is not a finite number" }
        switch self {
        case .number: return nil
        case .percent: return (0...100).contains(value) ? nil : "a percentage is between 0 and 100"
        case .yesno: return value == 0 || value == 1 ? nil : "a yes/no value is 1 (yes) or 0 (no)"
        }
    }
}

/// The rule indicator codes follow.
public enum IndicatorCode {
    public static let rule = "a code is 1 to 40 letters, digits, dots, hyphens or underscores"
    public static let ruleVi = "mã có 1 đến 40 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới"

    public static func isValid(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 40
            && code.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }
}
