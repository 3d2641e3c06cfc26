/// How a component's raw values become scores from 0 (worst) to 100 (best) across the units
/// ranked in a period. In JSON `{"method": "goalposts", "min": 0, "max": 1}`, or just the
/// method's name for those without parameters (`"minMax"`, `"zScore"`, `"rank"`).
///
/// The formulas are in docs/RANKING.md; `scores(_:direction:target:)` is their one implementation.
public enum Normalisation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 100 × (x − min) ÷ (max − min) over the period's values.
    case minMax
    /// 50 + 10 × z, clipped to 0–100, with z the standard score (population standard deviation).
    case zScore
    /// 100 × x ÷ target, at most 100 (lower is better: 100 × target ÷ x). Without a target here,
    /// the target comes with the input (the indicator's target for the period's year).
    case distanceToTarget(target: Double?)
    /// 100 × (x − min) ÷ (max − min) for fixed goalposts, clipped to 0–100.
    case goalposts(min: Double, max: Double)
    /// The percentile rank: 100 × (r − 1) ÷ (n − 1), r the ascending rank with ties averaged.
    case rank

    /// The method names used in JSON.
    public enum Method: String, Codable, Sendable, CaseIterable, ListedValues {
        case minMax, zScore, distanceToTarget, goalposts, rank
    }

    public var method: Method {
        switch self {
        case .minMax: .minMax
        case .zScore: .zScore
        case .distanceToTarget: .distanceToTarget
        case .goalposts: .goalposts
        case .rank: .rank
        }
    }

    public var description: String {
        switch self {
        case .distanceToTarget(let target?): "distanceToTarget(\(target))"
        case .goalposts(let low, let high): "goalposts(\(low), \(high))"
        default: method.rawValue
        }
    }

    enum CodingKeys: String, CodingKey {
        case method, target, min, max
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            guard let method = Method(rawValue: name) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: decoder.codingPath,
                        debugDescription: "unknown normalisation \"\(name)\"; expected one of "
                            + Method.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            try self.init(method, codingPath: decoder.codingPath)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Method.self, forKey: .method) {
        case .minMax: self = .minMax
        case .zScore: self = .zScore
        case .rank: self = .rank
        case .distanceToTarget:
            self = .distanceToTarget(target: try container.decodeIfPresent(Double.self, forKey: .target))
        case .goalposts:
            self = .goalposts(
                min: try container.decode(Double.self, forKey: .min),
                max: try container.decode(Double.self, forKey: .max))
        }
    }

    /// A normalisation named without its parameters.
    init(_ method: Method, codingPath: [any CodingKey]) throws {
        switch method {
        case .minMax: self = .minMax
        case .zScore: self = .zScore
        case .rank: self = .rank
        case .distanceToTarget: self = .distanceToTarget(target: nil)
        case .goalposts:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription:
                        "goalposts need their min and max: {\"method\": \"goalposts\", \"min\": …, \"max\": …}"
                ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        switch self {
        case .distanceToTarget(let target): try container.encodeIfPresent(target, forKey: .target)
        case .goalposts(let low, let high):
            try container.encode(low, forKey: .min)
            try container.encode(high, forKey: .max)
        case .minMax, .zScore, .rank: break
        }
    }
}
