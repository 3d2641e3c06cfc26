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

    /// What is wrong with the method, each problem naming its field; empty when it can be used.
    public func problems() -> [RowError] {
        var errors: [RowError] = []
        func fail(_ field: String, _ reason: String) {
            errors.append(RowError(line: nil, column: field, reason: reason))
        }
        if schemaVersion != Self.schemaVersion {
            fail(
                "schemaVersion",
                "schema version \(schemaVersion) is not known; this Mandate reads \(Self.schemaVersion)")
        }
        if !IndicatorCode.isValid(id) { fail("id", IndicatorCode.rule) }
        if version < 1 { fail("version", "a version is a whole number from 1") }
        if nameVi.trimmingWhitespace().isEmpty { fail("nameVi", "the Vietnamese name is empty") }
        if nameEn.trimmingWhitespace().isEmpty { fail("nameEn", "the English name is empty") }
        if unitKind == .committee { fail("unitKind", "there is one committee; nothing to rank") }
        if pillars.isEmpty { fail("pillars", "a method has at least one pillar") }
        var pillarCodes: [String: Int] = [:]
        var componentCodes: [String: String] = [:]
        var sources: [String: String] = [:]
        for (p, pillar) in pillars.enumerated() {
            let at = "pillars[\(p)]"
            if !IndicatorCode.isValid(pillar.code) { fail(at + ".code", IndicatorCode.rule) }
            if let first = pillarCodes[pillar.code] {
                fail(at + ".code", "pillar \(pillar.code) already appears as pillars[\(first)]")
            } else {
                pillarCodes[pillar.code] = p
            }
            if pillar.nameVi.trimmingWhitespace().isEmpty { fail(at + ".nameVi", "the Vietnamese name is empty") }
            if pillar.nameEn.trimmingWhitespace().isEmpty { fail(at + ".nameEn", "the English name is empty") }
            if let reason = Self.weightProblem(pillar.weight) { fail(at + ".weight", reason) }
            if pillar.components.isEmpty { fail(at + ".components", "a pillar has at least one component") }
            for (c, component) in pillar.components.enumerated() {
                let at = at + ".components[\(c)]"
                if !IndicatorCode.isValid(component.code) { fail(at + ".code", IndicatorCode.rule) }
                if let first = componentCodes[component.code] {
                    fail(at + ".code", "component \(component.code) already appears at \(first)")
                } else {
                    componentCodes[component.code] = at
                }
                switch component.source {
                case .indicator(let code), .satisfaction(let code):
                    if !IndicatorCode.isValid(code) { fail(at + ".source", IndicatorCode.rule) }
                case .delivery: break
                }
                if let first = sources[component.source.key] {
                    fail(at + ".source", "\(component.source.key) is already the source of \(first)")
                } else {
                    sources[component.source.key] = at
                }
                if let reason = Self.weightProblem(component.weight) { fail(at + ".weight", reason) }
                for (index, option) in component.options.enumerated() {
                    let field = index == 0 ? at + ".normalisation" : at + ".alternatives[\(index - 1)]"
                    if let (suffix, reason) = option.problem { fail(field + suffix, reason) }
                    if component.options[..<index].contains(option) {
                        fail(field, "\(option) is already among the component's normalisations")
                    }
                }
            }
        }
        return errors + uncertainty.problems()
    }

    static func weightProblem(_ weight: Double) -> String? {
        weight.isFinite && weight > 0 ? nil : "a weight is a positive number"
    }
}

extension RankingMethod.Uncertainty {
    /// What is wrong with the settings, each problem naming its field.
    public func problems() -> [RowError] {
        var errors: [RowError] = []
        if !(0...RankingMethod.maximumDraws).contains(draws) {
            errors.append(
                RowError(
                    line: nil, column: "uncertainty.draws",
                    reason: "from 0 (no uncertainty) to \(RankingMethod.maximumDraws) draws"))
        }
        if !(weightSpread >= 0 && weightSpread < 1) {
            errors.append(
                RowError(
                    line: nil, column: "uncertainty.weightSpread",
                    reason: "a spread is at least 0 and below 1 (0.25 is ±25%)"))
        }
        return errors
    }
}

extension Normalisation {
    /// What is wrong with the parameters, as a field suffix and a reason; nil when they are usable.
    var problem: (String, String)? {
        switch self {
        case .goalposts(let low, let high):
            if !low.isFinite || !high.isFinite { return (".min", "goalposts are finite numbers") }
            if !(high > low) { return (".max", "the upper goalpost must be above the lower (\(low))") }
            return nil
        case .distanceToTarget(let target?):
            return target.isFinite && target > 0 ? nil : (".target", "a target is a positive number")
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
