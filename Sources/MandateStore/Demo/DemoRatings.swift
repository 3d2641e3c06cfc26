import Foundation
import MandateCore

/// Illustrative citizens' ratings of the provinces' services in 2024 and 2025, so that the demo's
/// province ranking has a satisfaction pillar to show (docs/RANKING.md, "Satisfaction"): each
/// province a share satisfied between 70 % and 93 % (SIPAS 2024 published 78–92 %) and a number
/// of ratings a year from a handful to a few hundred, so that shrinkage and the draws matter.
/// None carries a comment. Every rating is marked illustrative; the same on every machine.
public enum DemoRatings {
    /// Ratings a year, one of these per province.
    static let yearly = [6, 15, 40, 90, 180]
    static let years = [2024, 2025]

    public static func ratings(provinces: [String]) -> [Feedback] {
        var random = SplitMix64(seed: 20_250_701)
        var ratings: [Feedback] = []
        for province in provinces.sorted(by: RankingTable.codeOrder) {
            let count = yearly[Int(random.next() % UInt64(yearly.count))]
            let share = 0.70 + 0.23 * random.nextUniform()
            for year in years {
                let drift = year == 2025 ? 0.02 : 0
                for index in 0..<count {
                    let month = 1 + index % 12
                    let satisfied = random.nextUniform() < share + drift
                    let overall = satisfied ? 4 + Int(random.next() % 2) : 1 + Int(random.next() % 3)
                    let staff = min(5, max(1, overall + Int(random.next() % 3) - 1))
                    let day = 1 + index / 12 % 28
                    let receivedAt = String(format: "%04d-%02d-%02dT03:00:00.000Z", year, month, day)
                    ratings.append(
                        Feedback(
                            receipt: FeedbackReceipt.make(using: &random), unit: province, task: nil,
                            overall: overall, factors: [.staff: staff], comment: nil, state: .recorded,
                            period: String(format: "%04d-%02d", year, month), receivedAt: receivedAt,
                            illustrative: true))
                }
            }
        }
        return ratings
    }
}
