/// SplitMix64 (Steele, Lea and Flood, 2014), the generator the Monte Carlo draws from.
///
/// It is counter-based: the n-th output (n = 1, 2, …) is `mix(seed + n × γ)` modulo 2^64, so
/// any implementation (the Python reference in `reference/`, say) reproduces every draw exactly,
/// and any position can be computed without the ones before it.
public struct SplitMix64: Sendable, RandomNumberGenerator {
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state = state &+ Self.gamma
        return Self.mix(state)
    }

    /// The next number in [0, 1): the top 53 bits × 2^-53.
    public mutating func nextUniform() -> Double {
        Self.uniform(next())
    }

    /// The n-th output (1-based) of a generator seeded with `seed`.
    public static func output(seed: UInt64, at n: UInt64) -> UInt64 {
        mix(seed &+ n &* gamma)
    }

    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public static func uniform(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1.0p-53
    }
}
