import Foundation
import MandateCore
import NIOCore
import Testing

@testable import MandateServer
@testable import MandateStore

/// Answers holding a ranking result are the encoder's bytes, whichever way they are written.
@Suite struct RankingJSONTests {
    static func result(units: Int) -> RankingResult {
        RankingResult(
            methodId: "province-dti", methodVersion: 2, period: "2025", previousPeriod: "2024",
            previousMissingComponents: ["KTS/1"], uncertainty: RankingMethod.Uncertainty(),
            inputDigest: String(repeating: "ab", count: 32),
            units: (0..<units).map { index in
                UnitRanking(
                    unit: String(format: "%05d", index), score: Double(index) / 7, rank: index + 1,
                    pillars: [PillarScore(pillar: "CQS", score: 12.5), PillarScore(pillar: "\"/x", score: nil)],
                    previousScore: index % 2 == 0 ? 1e-7 : nil, previousRank: 3, scoreChange: -0.0, rankChange: -2,
                    improvementRank: index, interval: RankInterval(low: 1, median: 2, high: 30))
            })
    }

    @Test(arguments: [0, 1, 25])
    func aDraftAndAPublicationAreTheEncodersBytes(units: Int) throws {
        let result = Self.result(units: units)
        let method = try DemoRankingMethods.method("province-dti")
        let published = PublishedRanking(
            methodId: method.id, period: "2025", version: 3, method: method, result: result,
            inputDigest: result.inputDigest ?? "", publishedAt: "2026-01-01T00:00:00.000Z")
        let served = try RankingJSON.encode(result) { result in
            var ranking = published
            ranking.result = result
            return RankingsController.Served(ranking, latest: nil)
        }
        #expect(
            Array(buffer: served)
                == [UInt8](try JSONEncoder.api.encode(RankingsController.Served(published, latest: nil))))
        let computed = RankingComputer.Computed(method: method, result: result, inputsCSV: "")
        let draft = try RankingJSON.encode(result) { RankingsController.Draft(computed, result: $0) }
        #expect(
            Array(buffer: draft)
                == [UInt8](try JSONEncoder.api.encode(RankingsController.Draft(computed, result: result))))
    }
}
