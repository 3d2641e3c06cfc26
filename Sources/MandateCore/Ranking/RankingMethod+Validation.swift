import Foundation

extension RankingMethod {
    /// The most draws a method may ask for.
    public static let maximumDraws = 100_000

    /// Reads and checks a method document; a malformed or invalid one is refused with every
    /// problem, each naming its field (e.g. `pillars[0].components[1].weight`).
    public static func decode(_ data: Data) throws(ValidationFailure) -> RankingMethod {
        let method: RankingMethod
        do {
            method = try JSONDecoder().decode(RankingMethod.self, from: data)
        } catch let error as DecodingError {
            throw ValidationFailure([RowError(decoding: error)])
        } catch {
            throw ValidationFailure(field: "method", reason: "not a ranking method: \(error)")
        }
        try method.validate()
        return method
    }

    /// Throws every problem of `problems()`.
    public func validate() throws(ValidationFailure) {
        let problems = problems()
        if !problems.isEmpty { throw ValidationFailure(problems) }
    }

    /// What is wrong with the method, each problem naming its field (in both languages); empty
    /// when it can be used.
    public func problems() -> [RowError] {
        var problems = FieldProblems()
        if schemaVersion != Self.schemaVersion {
            problems.fail(
                "schemaVersion",
                "schema version \(schemaVersion) is not known; this Mandate reads \(Self.schemaVersion)",
                "không biết phiên bản lược đồ \(schemaVersion); Mandate này đọc phiên bản \(Self.schemaVersion)")
        }
        if !IndicatorCode.isValid(id) { problems.fail("id", IndicatorCode.rule, IndicatorCode.ruleVi) }
        if version < 1 { problems.fail("version", "a version is a whole number from 1", "phiên bản là số nguyên từ 1") }
        if nameVi.trimmingWhitespace().isEmpty {
            problems.fail("nameVi", "the Vietnamese name is empty", "thiếu tên tiếng Việt")
        }
        if nameEn.trimmingWhitespace().isEmpty {
            problems.fail("nameEn", "the English name is empty", "thiếu tên tiếng Anh")
        }
        if unitKind == .committee {
            problems.fail(
                "unitKind", "there is one committee; nothing to rank", "chỉ có một Ban Chỉ đạo; không có gì để xếp hạng"
            )
        }
        if pillars.isEmpty {
            problems.fail("pillars", "a method has at least one pillar", "phương pháp cần ít nhất một trụ cột")
        }
        var pillarCodes: [String: Int] = [:]
        var componentCodes: [String: String] = [:]
        var sources: [String: String] = [:]
        for (p, pillar) in pillars.enumerated() {
            let at = "pillars[\(p)]"
            if !IndicatorCode.isValid(pillar.code) {
                problems.fail(at + ".code", IndicatorCode.rule, IndicatorCode.ruleVi)
            }
            if let first = pillarCodes[pillar.code] {
                problems.fail(
                    at + ".code", "pillar \(pillar.code) already appears as pillars[\(first)]",
                    "trụ cột \(pillar.code) đã có ở pillars[\(first)]")
            } else {
                pillarCodes[pillar.code] = p
            }
            if pillar.nameVi.trimmingWhitespace().isEmpty {
                problems.fail(at + ".nameVi", "the Vietnamese name is empty", "thiếu tên tiếng Việt")
            }
            if pillar.nameEn.trimmingWhitespace().isEmpty {
                problems.fail(at + ".nameEn", "the English name is empty", "thiếu tên tiếng Anh")
            }
            if !Self.isWeight(pillar.weight) { problems.fail(at + ".weight", Self.weightRule, Self.weightRuleVi) }
            if pillar.components.isEmpty {
                problems.fail(
                    at + ".components", "a pillar has at least one component", "trụ cột cần ít nhất một thành phần")
            }
            for (c, component) in pillar.components.enumerated() {
                let at = at + ".components[\(c)]"
                if !IndicatorCode.isValid(component.code) {
                    problems.fail(at + ".code", IndicatorCode.rule, IndicatorCode.ruleVi)
                }
                if let first = componentCodes[component.code] {
                    problems.fail(
                        at + ".code", "component \(component.code) already appears at \(first)",
                        "thành phần \(component.code) đã có ở \(first)")
                } else {
                    componentCodes[component.code] = at
                }
                switch component.source {
                case .indicator(let code):
                    if !IndicatorCode.isValid(code) {
                        problems.fail(at + ".source", IndicatorCode.rule, IndicatorCode.ruleVi)
                    }
                case .satisfaction(let name):
                    if !RankingSource.satisfactionMeasures.contains(name) {
                        let names = RankingSource.satisfactionMeasures.joined(separator: ", ")
                        problems.fail(
                            at + ".source", "satisfaction is one of \(names)", "mức hài lòng là một trong \(names)")
                    }
                case .delivery: break
                }
                if let first = sources[component.source.key] {
                    problems.fail(
                        at + ".source", "\(component.source.key) is already the source of \(first)",
                        "\(component.source.key) đã là nguồn của \(first)")
                } else {
                    sources[component.source.key] = at
                }
                if !Self.isWeight(component.weight) {
                    problems.fail(at + ".weight", Self.weightRule, Self.weightRuleVi)
                }
                for (index, option) in component.options.enumerated() {
                    let field = index == 0 ? at + ".normalisation" : at + ".alternatives[\(index - 1)]"
                    if let problem = option.problem {
                        problems.fail(field + problem.field, problem.english, problem.vietnamese)
                    }
                    if component.options[..<index].contains(option) {
                        problems.fail(
                            field, "\(option) is already among the component's normalisations",
                            "\(option) đã có trong các cách chuẩn hoá của thành phần")
                    }
                }
            }
        }
        if let pseudoRatings, !(0...100_000).contains(pseudoRatings) {
            problems.fail(
                "pseudoRatings", "pseudo-ratings are a whole number from 0 to 100,000",
                "số lượt đánh giá giả định là số nguyên từ 0 đến 100.000")
        }
        problems.append(contentsOf: uncertainty.problems())
        return problems.errors
    }

    static let weightRule = "a weight is a positive number"
    static let weightRuleVi = "trọng số là một số dương"

    static func isWeight(_ weight: Double) -> Bool { weight.isFinite && weight > 0 }
}

extension RankingMethod.Uncertainty {
    /// What is wrong with the settings, each problem naming its field (in both languages).
    public func problems() -> [RowError] {
        var problems = FieldProblems()
        if !(0...RankingMethod.maximumDraws).contains(draws) {
            problems.fail(
                "uncertainty.draws", "from 0 (no uncertainty) to \(RankingMethod.maximumDraws) draws",
                "từ 0 (không tính bất định) đến \(RankingMethod.maximumDraws) lượt rút")
        }
        if !(weightSpread >= 0 && weightSpread < 1) {
            problems.fail(
                "uncertainty.weightSpread", "a spread is at least 0 and below 1 (0.25 is ±25%)",
                "độ dao động từ 0 đến dưới 1 (0,25 là ±25%)")
        }
        return problems.errors
    }
}

extension Normalisation {
    /// What is wrong with the parameters, as a field suffix and a reason in both languages; nil
    /// when they are usable.
    var problem: (field: String, english: String, vietnamese: String)? {
        switch self {
        case .goalposts(let low, let high):
            if !low.isFinite || !high.isFinite {
                return (".min", "goalposts are finite numbers", "ngưỡng là số hữu hạn")
            }
            if !(high > low) {
                return (
                    ".max", "the upper goalpost must be above the lower (\(low))",
                    "ngưỡng trên phải lớn hơn ngưỡng dưới (\(WrittenNumber.written(low, .vi)))"
                )
            }
            return nil
        case .distanceToTarget(let target?):
            return target.isFinite && target > 0
                ? nil : (".target", "a target is a positive number", "mục tiêu là một số dương")
        case .distanceToTarget(nil), .minMax, .zScore, .rank:
            return nil
        }
    }
}

extension RowError {
    /// A JSON decoding error as the field it concerns (`pillars[0].weight`) and why.
    public init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self.init(line: nil, column: field, reason: "\(key.stringValue) is required")
        case .typeMismatch(let type, let context):
            self.init(line: nil, column: path(context.codingPath), reason: "expected \(Self.jsonName(of: type))")
        case .valueNotFound(let type, let context):
            self.init(
                line: nil, column: path(context.codingPath), reason: "expected \(Self.jsonName(of: type)), found null")
        case .dataCorrupted(let context):
            let field = context.codingPath.isEmpty ? nil : path(context.codingPath)
            var reason = context.debugDescription
            if let underlying = context.underlyingError { reason += ": \(underlying)" }
            self.init(line: nil, column: field, reason: reason)
        @unknown default:
            self.init(line: nil, column: nil, reason: "\(error)")
        }
    }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
