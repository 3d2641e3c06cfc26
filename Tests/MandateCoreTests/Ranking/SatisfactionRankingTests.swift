import Foundation
import Testing

@testable import MandateCore

/// Satisfaction as a ranking component (docs/RANKING.md, "Satisfaction"): counts shrunk toward
/// the pooled share, worked out by hand here; bad counts refused by unit and column; the name and
/// the pseudo-ratings checked; the draws taken from a stream of their own. (The whole engine
/// against the Python reference: Tests/system/test_ranking_reference.py.)
@Suite struct SatisfactionRankingTests {
    static func method(pseudoRatings: Int? = nil, draws: Int = 0) -> RankingMethod {
        var method = RankingFixtures.method(
            [
                RankingFixtures.pillar(
                    "P", weight: 1,
                    [
                        RankingMethod.Component(
                            code: "HL", source: .satisfaction("overall"), normalisation: .goalposts(min: 0, max: 100),
                            alternatives: [.minMax])
                    ])
            ], draws: draws)
        method.pseudoRatings = pseudoRatings
        return method
    }

    /// Unit A: 9 of 10 satisfied; B: 30 of 60; C: no ratings. Pooled share 39/70; with m = 10,
    /// A scores 100 × (9 + 10 × 39/70) / 20 and B 100 × (30 + 10 × 39/70) / 70.
    static let table = RankingFixtures.table([
        "A": ["satisfaction:overall:satisfied": 9, "satisfaction:overall:ratings": 10],
        "B": ["satisfaction:overall:satisfied": 30, "satisfaction:overall:ratings": 60],
        "C": ["satisfaction:overall:satisfied": 0, "satisfaction:overall:ratings": 0],
    ])

    @Test func sharesAreShrunkTowardThePooledShare() throws {
        let result = try RankingEngine(method: Self.method(pseudoRatings: 10)).rank(Self.table)
        let scores = Dictionary(uniqueKeysWithValues: result.units.map { ($0.unit, $0.score) })
        let pooled = 39.0 / 70
        #expect(abs((scores["A"] ?? nil)! - 100 * (9 + 10 * pooled) / 20) < 1e-9)
        #expect(abs((scores["B"] ?? nil)! - 100 * (30 + 10 * pooled) / 70) < 1e-9)
        #expect(scores["C"] == .some(nil))
        // With no pseudo-ratings the raw shares: 90 and 50.
        let raw = try RankingEngine(method: Self.method(pseudoRatings: 0)).rank(Self.table)
        #expect(raw.units.map(\.score) == [90, 50, nil])
    }

    @Test func badCountsAreRefusedByUnitAndColumn() {
        let table = RankingFixtures.table([
            "A": ["satisfaction:overall:satisfied": 11, "satisfaction:overall:ratings": 10],
            "B": ["satisfaction:overall:satisfied": 2.5, "satisfaction:overall:ratings": 10],
            "C": ["satisfaction:overall:ratings": 10],
        ])
        #expect {
            try RankingEngine(method: Self.method()).rank(table)
        } throws: { error in
            let failure = error as? ValidationFailure
            return failure?.errors.map(\.column) == [
                "satisfaction:overall", "satisfaction:overall", "satisfaction:overall",
            ]
                && failure?.errors.first?.reason.hasPrefix("unit A:") == true
        }
    }

    @Test func theMeasureAndThePseudoRatingsAreChecked() {
        var method = Self.method(pseudoRatings: -1)
        method.pillars[0].components[0].source = .satisfaction("mood")
        let fields = method.problems().map(\.column)
        #expect(fields.contains("pillars[0].components[0].source") && fields.contains("pseudoRatings"))
        #expect(Self.method(pseudoRatings: 100_000).problems().isEmpty)
        #expect(
            RankingSource.satisfaction("staff").inputKeys == [
                "satisfaction:staff:satisfied", "satisfaction:staff:ratings",
            ])
    }

    /// The draws carry the ratings' uncertainty, from a stream of their own: A's 9 of 10 (90 %)
    /// and B's 47 of 60 (78 %) are about one standard deviation apart, so some draws put B first
    /// (both intervals span ranks 1–2), where B's 30 of 60 (50 %) never passes A.
    @Test func theMonteCarloDrawsFromAStreamOfItsOwn() throws {
        let posterior = try SatisfactionPosterior(
            satisfied: [9, 30, nil], ratings: [10, 60, nil], units: ["A", "B", "C"], key: "satisfaction:overall",
            pseudoRatings: 0)
        #expect(posterior.units == [0, 1])
        let first = posterior.drawn(draw: 0, component: 0, components: 1, unitCount: 3, seed: 57)
        let again = posterior.drawn(draw: 0, component: 0, components: 1, unitCount: 3, seed: 57)
        let next = posterior.drawn(draw: 1, component: 0, components: 1, unitCount: 3, seed: 57)
        #expect(first == again && first != next && first.allSatisfy { (0...100).contains($0) })
        // Box–Muller on outputs 1 and 2 of the satisfaction stream, by hand, for unit A in draw 0.
        let stream = 57 ^ UInt64(0x5341_5449_5346_4143)
        let u1 = SplitMix64.uniform(SplitMix64.output(seed: stream, at: 1))
        let u2 = SplitMix64.uniform(SplitMix64.output(seed: stream, at: 2))
        let z = (-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        #expect(first[0] == 100 * min(1, max(0, 0.9 + (0.9 * 0.1 / 11).squareRoot() * z)))
        let method = Self.method(pseudoRatings: 0, draws: 400)
        let close = RankingFixtures.table([
            "A": ["satisfaction:overall:satisfied": 9, "satisfaction:overall:ratings": 10],
            "B": ["satisfaction:overall:satisfied": 47, "satisfaction:overall:ratings": 60],
        ])
        let near = try RankingEngine(method: method).rank(close)
        #expect(near.units.map(\.interval?.low) == [1, 1] && near.units.map(\.interval?.high) == [2, 2])
        let far = try RankingEngine(method: method).rank(Self.table)
        #expect(far.units.map(\.interval?.low) == [1, 2, nil] && far.units.map(\.interval?.high) == [1, 2, nil])
    }
}
