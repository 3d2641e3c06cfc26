import Foundation
import Testing

@testable import MandateCore

/// The result's JSON written directly is byte for byte what the encoder writes (keys sorted,
/// slashes unescaped): it is stored, digested into the log, and checked by others against the
/// encoder's output.
@Suite struct RankingResultJSONTests {
    static let doubles: [Double] = [
        0, -0.0, 1, -1, 12, 16.4, 0.125, 0.1 + 0.2, 1e-7, 1.5e-10, 1e15, 1e16, 1e21, 123_456_789.123,
        -98.765_432_1, 100, 33.333_333_333_333_336, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5e-300,
        2.220_446_049_250_313e-16, 4_503_599_627_370_496.5, 9_007_199_254_740_992,
    ]
    static let texts = [
        "01", "00004", "CQS001", "Đà Nẵng", "a\"b", "back\\slash", "x/y", "tab\tnew\nline\r", "\u{1}\u{1f}\u{7f}",
        "💡", "", "delivery:on_time_rate",
    ]

    static func result(seed: UInt64) -> RankingResult {
        var random = SplitMix64(seed: seed)
        func chance() -> Bool { random.next() % 3 != 0 }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func number() -> Double {
            chance() ? pick(doubles) : Double(Int64(bitPattern: random.next()) % 1_000_000) / 997
        }
        func int() -> Int { Int(random.next() % 4000) - 200 }
        let units = (0..<Int(random.next() % 30)).map { _ in
            UnitRanking(
                unit: pick(texts), score: chance() ? number() : nil, rank: chance() ? int() : nil,
                pillars: (0..<Int(random.next() % 4)).map { _ in
                    PillarScore(pillar: pick(texts), score: chance() ? number() : nil)
                },
                previousScore: chance() ? number() : nil, previousRank: chance() ? int() : nil,
                scoreChange: chance() ? number() : nil, rankChange: chance() ? int() : nil,
                improvementRank: chance() ? int() : nil,
                interval: chance() ? RankInterval(low: int(), median: int(), high: int()) : nil)
        }
        return RankingResult(
            methodId: pick(texts), methodVersion: int(), period: pick(texts),
            previousPeriod: chance() ? pick(texts) : nil,
            previousMissingComponents: chance() ? (0..<Int(random.next() % 3)).map { _ in pick(texts) } : nil,
            uncertainty: chance()
                ? RankingMethod.Uncertainty(draws: int(), seed: random.next(), weightSpread: number()) : nil,
            inputDigest: chance() ? pick(texts) : nil, units: units)
    }

    @Test(arguments: 1...40)
    func theWrittenJSONIsTheEncoders(seed: UInt64) {
        let result = Self.result(seed: seed)
        let encoded = [UInt8](PublishedRanking.canonicalJSON(result))
        #expect(!encoded.isEmpty)
        #expect(result.canonicalJSON() == encoded)
    }

    @Test func everyNumberIsWrittenAsTheEncoderWritesIt() {
        for value in Self.doubles + Self.doubles.map({ -$0 }) {
            let unit = UnitRanking(unit: "u", score: value, rank: nil, pillars: [])
            let result = RankingResult(
                methodId: "m", methodVersion: 1, period: "2025", previousPeriod: nil, uncertainty: nil, units: [unit])
            #expect(result.canonicalJSON() == [UInt8](PublishedRanking.canonicalJSON(result)), "\(value)")
        }
    }

    @Test func theLoggedFactDigestsTheSameBytes() throws {
        let result = Self.result(seed: 7)
        let method = RankingMethod(
            id: "m", version: 1, nameVi: "m", nameEn: "m", unitKind: .province,
            pillars: [
                RankingMethod.Pillar(
                    code: "P", nameVi: "p", nameEn: "p", weight: 1,
                    components: [RankingMethod.Component(code: "X", source: .indicator("X"))])
            ])
        let published = PublishedRanking(
            methodId: "m", period: "2025", version: 1, method: method, result: result, inputDigest: "d",
            publishedAt: "2026-01-01T00:00:00.000Z")
        let fact = try published.publishedFact()
        #expect(fact.fields["resultDigest"] == PublishedRanking.digest(result))
        #expect(try published.publishedFact(resultJSON: result.canonicalJSON()) == fact)
    }
}
