import Testing

@testable import MandateCore

/// A unit's public figure: its own approved value, else the roll-up below it, else none; over
/// every combination of what there is, by every method.
@Suite struct PublicFigureTests {
    /// Two communes below: 10 with a weight of 1,000 and 20 with none.
    static let below = RollupTotals(value: 10, weight: 1000) + RollupTotals(value: 20, weight: nil)
    /// One commune below, without a weight.
    static let unweighted = RollupTotals(value: 20, weight: nil)

    struct Case: Sendable, CustomTestStringConvertible {
        let own: Double?
        let below: RollupTotals?
        let method: RollupMethod
        let expected: PublicFigure?
        var testDescription: String { "own \(own.map { "\($0)" } ?? "none"), \(method)" }
    }

    static let cases: [Case] = RollupMethod.allCases.flatMap { method -> [Case] in
        // The roll-up by hand: sum 10 + 20 = 30; mean 30 ÷ 2 = 15; weighted mean 10 × 1000 ÷ 1000 = 10
        // (the value without a weight is left out); none gives no roll-up.
        let rolled: Double? =
            switch method {
            case .sum: 30
            case .mean: 15
            case .weightedMean: 10
            case .none: nil
            }
        let unweightedRolled: Double? =
            switch method {
            case .sum, .mean: 20
            case .weightedMean, .none: nil
            }
        return [
            Case(own: 99, below: below, method: method, expected: PublicFigure(value: 99, source: .own)),
            Case(own: 99, below: nil, method: method, expected: PublicFigure(value: 99, source: .own)),
            Case(own: 0, below: below, method: method, expected: PublicFigure(value: 0, source: .own)),
            Case(
                own: nil, below: below, method: method,
                expected: rolled.map { PublicFigure(value: $0, source: .rollup) }),
            Case(
                own: nil, below: unweighted, method: method,
                expected: unweightedRolled.map { PublicFigure(value: $0, source: .rollup) }),
            Case(own: nil, below: .zero, method: method, expected: nil),
            Case(own: nil, below: nil, method: method, expected: nil),
        ]
    }

    @Test(arguments: cases)
    func theOwnValueElseTheRollupElseNone(_ example: Case) {
        #expect(PublicFigure.of(own: example.own, below: example.below, method: example.method) == example.expected)
    }

    @Test func figuresOfManyUnitsFollowTheSameRule() {
        let figures = PublicFigure.figures(
            own: ["01": ["2025": 99], "00004": ["2025": 10]],
            below: ["01": ["2025": Self.below, "2024": Self.below], "79": ["2025": Self.unweighted]], method: .sum)
        #expect(
            figures == [
                "01": [
                    "2025": PublicFigure(value: 99, source: .own), "2024": PublicFigure(value: 30, source: .rollup),
                ],
                "00004": ["2025": PublicFigure(value: 10, source: .own)],
                "79": ["2025": PublicFigure(value: 20, source: .rollup)],
            ])
    }
}
