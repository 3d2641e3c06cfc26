import MandateCore

/// The ranking method editor's form: a method as the fields a committee analyst types, each
/// named by its path in the method document (`pillars[0].components[1].weight`), so that every
/// problem `RankingMethod.problems()` finds is shown beside its field. Numbers are written the
/// page language's way (`WrittenNumber`).
///
/// The form always offers one blank pillar and, in each pillar, one blank component: a blank
/// one is left out, as is one whose "remove" box is ticked.
struct RankingMethodForm: Sendable, Equatable {
    struct Component: Sendable, Equatable {
        var code = ""
        /// The source's key: an indicator code, `delivery:on_time_rate`, `satisfaction:services`.
        var source = ""
        var weight = ""
        var direction = Direction.higher.rawValue
        var normalisation = Normalisation.Method.minMax.rawValue
        /// The target of `distanceToTarget` (blank: the indicator's own target).
        var target = ""
        /// The goalposts of `goalposts`.
        var min = ""
        var max = ""
        /// The alternatives, written as `Normalisation` describes them and separated by spaces
        /// (`rank zScore goalposts(0; 100)`); parameters are separated by a semicolon.
        var alternatives = ""
        var remove = false

        var isBlank: Bool { [code, source, weight, target, min, max, alternatives].allSatisfy { $0.isEmpty } }
    }

    struct Pillar: Sendable, Equatable {
        var code = ""
        var nameVi = ""
        var nameEn = ""
        var weight = ""
        var components: [Component] = []
        var remove = false

        var isBlank: Bool {
            [code, nameVi, nameEn, weight].allSatisfy { $0.isEmpty } && components.allSatisfy(\.isBlank)
        }
    }

    var id = ""
    var nameVi = ""
    var nameEn = ""
    var unitKind = UnitKind.province.rawValue
    var aggregation = Aggregation.arithmetic.rawValue
    var missingData = MissingDataPolicy.reweight.rawValue
    var draws = ""
    var seed = ""
    var weightSpread = ""
    /// Blank: the default (`RankingMethod.defaultPseudoRatings`).
    var pseudoRatings = ""
    var pillars: [Pillar] = []

    /// The most pillars, and components in a pillar, a form is read with.
    static let maximumRows = 50

    init() {}

    /// A method's fields, its numbers written in `language`.
    init(_ method: RankingMethod, _ language: Language) {
        func written(_ value: Double) -> String { WrittenNumber.written(value, language) }
        id = method.id
        nameVi = method.nameVi
        nameEn = method.nameEn
        unitKind = method.unitKind.rawValue
        aggregation = method.aggregation.rawValue
        missingData = method.missingData.rawValue
        draws = String(method.uncertainty.draws)
        seed = String(method.uncertainty.seed)
        weightSpread = written(method.uncertainty.weightSpread)
        pseudoRatings = method.pseudoRatings.map(String.init) ?? ""
        pillars = method.pillars.map { pillar in
            Pillar(
                code: pillar.code, nameVi: pillar.nameVi, nameEn: pillar.nameEn, weight: written(pillar.weight),
                components: pillar.components.map { component in
                    var fields = Component(
                        code: component.code, source: component.source.key, weight: written(component.weight),
                        direction: component.direction.rawValue, normalisation: component.normalisation.method.rawValue,
                        alternatives: component.alternatives.map { Self.written($0, language) }.joined(separator: " "))
                    switch component.normalisation {
                    case .distanceToTarget(let target?): fields.target = written(target)
                    case .goalposts(let low, let high): (fields.min, fields.max) = (written(low), written(high))
                    default: break
                    }
                    return fields
                })
        }
    }

    /// The fields a form sent (`value(name)`), blank and removed rows left out.
    init(_ value: (String) -> String?) {
        func text(_ name: String) -> String { (value(name) ?? "").trimmingWhitespace() }
        id = text("id")
        nameVi = text("nameVi")
        nameEn = text("nameEn")
        unitKind = text("unitKind")
        aggregation = text("aggregation")
        missingData = text("missingData")
        draws = text("uncertainty.draws")
        seed = text("uncertainty.seed")
        weightSpread = text("uncertainty.weightSpread")
        pseudoRatings = text("pseudoRatings")
        for p in 0..<Self.maximumRows {
            let at = "pillars[\(p)]"
            guard value(at + ".code") != nil else { break }
            var pillar = Pillar(
                code: text(at + ".code"), nameVi: text(at + ".nameVi"), nameEn: text(at + ".nameEn"),
                weight: text(at + ".weight"), remove: value(at + ".remove") == "yes")
            for c in 0..<Self.maximumRows {
                let at = at + ".components[\(c)]"
                guard value(at + ".code") != nil else { break }
                let component = Component(
                    code: text(at + ".code"), source: text(at + ".source"), weight: text(at + ".weight"),
                    direction: text(at + ".direction"), normalisation: text(at + ".normalisation"),
                    target: text(at + ".normalisation.target"), min: text(at + ".normalisation.min"),
                    max: text(at + ".normalisation.max"),
                    alternatives: text(at + ".alternatives"), remove: value(at + ".remove") == "yes")
                if !component.remove && !component.isBlank { pillar.components.append(component) }
            }
            if !pillar.remove && !pillar.isBlank { pillars.append(pillar) }
        }
    }

    /// The method the fields make, as version `version`, or every problem with them: what cannot
    /// be read (a number, a choice) and what `RankingMethod.problems()` finds, each naming its field.
    func method(version: Int, _ language: Language) throws(ValidationFailure) -> RankingMethod {
        var problems = FieldProblems()
        func number(_ text: String, _ field: String, default fallback: Double = 1) -> Double {
            switch WrittenNumber.read(text, language) {
            case .success(let value): return value
            case .failure(let problem):
                let reason = WrittenNumber.reason(problem, typed: text)
                problems.fail(field, reason.english, reason.vietnamese)
                return fallback
            }
        }
        func choice<T: ListedValues>(_ text: String, _ field: String, default fallback: T) -> T {
            guard let value = T(rawValue: text) else {
                problems.fail(field, "choose a value", "hãy chọn một giá trị")
                return fallback
            }
            return value
        }
        let draws = Int(draws)
        if draws == nil { problems.fail("uncertainty.draws", "a whole number of draws", "hãy nhập số lượt rút") }
        let seed = UInt64(seed)
        if seed == nil { problems.fail("uncertainty.seed", "a whole number from 0", "số nguyên từ 0") }
        let pseudoRatings = Int(pseudoRatings)
        if pseudoRatings == nil && !self.pseudoRatings.isEmpty {
            problems.fail("pseudoRatings", "a whole number from 0, or blank", "số nguyên từ 0, hoặc để trống")
        }
        let pillars = pillars.enumerated().map { p, pillar in
            let at = "pillars[\(p)]"
            return RankingMethod.Pillar(
                code: pillar.code, nameVi: pillar.nameVi, nameEn: pillar.nameEn,
                weight: number(pillar.weight, at + ".weight"),
                components: pillar.components.enumerated().map { c, fields in
                    let at = at + ".components[\(c)]"
                    let source = RankingSource(key: fields.source)
                    if source == nil || fields.source.isEmpty {
                        let measures =
                            RankingSource.DeliveryMeasure.allCases.map { "delivery:" + $0.rawValue }
                            + RankingSource.satisfactionMeasures.map { "satisfaction:" + $0 }
                        problems.fail(
                            at + ".source",
                            "an indicator code, or one of \(measures.joined(separator: ", "))",
                            "mã chỉ tiêu, hoặc một trong \(measures.joined(separator: ", "))")
                    }
                    let method: Normalisation.Method = choice(
                        fields.normalisation, at + ".normalisation", default: .minMax)
                    let normalisation: Normalisation =
                        switch method {
                        case .minMax: .minMax
                        case .zScore: .zScore
                        case .rank: .rank
                        case .distanceToTarget:
                            .distanceToTarget(
                                target: fields.target.isEmpty
                                    ? nil : number(fields.target, at + ".normalisation.target"))
                        case .goalposts:
                            .goalposts(
                                min: number(fields.min, at + ".normalisation.min", default: 0),
                                max: number(fields.max, at + ".normalisation.max", default: 100))
                        }
                    var alternatives: [Normalisation] = []
                    switch Self.alternatives(fields.alternatives, language) {
                    case .success(let read): alternatives = read
                    case .failure:
                        problems.fail(
                            at + ".alternatives",
                            "normalisation names separated by spaces, e.g. rank zScore goalposts(0; 100)",
                            "tên các cách chuẩn hoá cách nhau bởi dấu cách, ví dụ rank zScore goalposts(0; 100)")
                    }
                    return RankingMethod.Component(
                        code: fields.code, source: source ?? .indicator(fields.source),
                        weight: number(fields.weight, at + ".weight"),
                        direction: choice(fields.direction, at + ".direction", default: .higher),
                        normalisation: normalisation, alternatives: alternatives)
                })
        }
        let method = RankingMethod(
            id: id, version: version, nameVi: nameVi, nameEn: nameEn,
            unitKind: choice(unitKind, "unitKind", default: .province),
            aggregation: choice(aggregation, "aggregation", default: .arithmetic),
            missingData: choice(missingData, "missingData", default: .reweight), pillars: pillars,
            uncertainty: RankingMethod.Uncertainty(
                draws: draws ?? RankingMethod.Uncertainty.defaultDraws,
                seed: seed ?? RankingMethod.Uncertainty.defaultSeed,
                weightSpread: number(
                    weightSpread, "uncertainty.weightSpread", default: RankingMethod.Uncertainty.defaultWeightSpread)),
            pseudoRatings: pseudoRatings)
        // A field that could not be read is named once, not again by the method's checks.
        let unread = Set(problems.errors.compactMap(\.column))
        problems.append(contentsOf: method.problems().filter { !unread.contains($0.column ?? "") })
        try problems.check()
        return method
    }

    /// A normalisation as the alternatives field writes it: `rank`, `distanceToTarget(80)`,
    /// `goalposts(0; 100)`.
    static func written(_ normalisation: Normalisation, _ language: Language) -> String {
        switch normalisation {
        case .distanceToTarget(let target?):
            "distanceToTarget(\(WrittenNumber.written(target, language)))"
        case .goalposts(let low, let high):
            "goalposts(\(WrittenNumber.written(low, language)); \(WrittenNumber.written(high, language)))"
        default: normalisation.method.rawValue
        }
    }

    struct Unreadable: Error {}

    /// The alternatives field read back: names separated by spaces, each with its parameters in
    /// parentheses separated by semicolons.
    static func alternatives(_ text: String, _ language: Language) -> Result<[Normalisation], Unreadable> {
        var read: [Normalisation] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "," && language == .en }
            guard !rest.isEmpty else { return .success(read) }
            let name = rest.prefix { $0.isLetter }
            guard let method = Normalisation.Method(rawValue: String(name)) else { return .failure(Unreadable()) }
            rest = rest.dropFirst(name.count)
            var parameters: [Double] = []
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return .failure(Unreadable()) }
                for part in rest[rest.index(after: rest.startIndex)..<close].split(separator: ";") {
                    guard case .success(let value) = WrittenNumber.read(String(part), language) else {
                        return .failure(Unreadable())
                    }
                    parameters.append(value)
                }
                rest = rest[rest.index(after: close)...]
            }
            switch (method, parameters.count) {
            case (.minMax, 0): read.append(.minMax)
            case (.zScore, 0): read.append(.zScore)
            case (.rank, 0): read.append(.rank)
            case (.distanceToTarget, 0): read.append(.distanceToTarget(target: nil))
            case (.distanceToTarget, 1): read.append(.distanceToTarget(target: parameters[0]))
            case (.goalposts, 2): read.append(.goalposts(min: parameters[0], max: parameters[1]))
            default: return .failure(Unreadable())
            }
        }
    }
}
