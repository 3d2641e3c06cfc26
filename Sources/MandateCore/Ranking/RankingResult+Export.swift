import Foundation

extension RankingResult {
    /// The fixed columns of `csv()`, before the pillars (`pillar:CODE`, in the method's order).
    public static let csvColumns = [
        "unit", "rank", "score", "rank_low", "rank_median", "rank_high", "previous_rank", "previous_score",
        "rank_change", "score_change", "improvement_rank",
    ]

    /// One row per unit, in the result's order. Numbers are written in full (the shortest text that
    /// reads back as the same double); empty where there is none.
    public func csv() -> String {
        let pillarCodes = units.first?.pillars.map(\.pillar) ?? []
        var text = (Self.csvColumns + pillarCodes.map { "pillar:" + $0 }).joined(separator: ",") + "\n"
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        func whole(_ value: Int?) -> String { value.map(String.init) ?? "" }
        for unit in units {
            var fields = [
                CSVField.quoted(unit.unit), whole(unit.rank), number(unit.score), whole(unit.interval?.low),
                whole(unit.interval?.median), whole(unit.interval?.high), whole(unit.previousRank),
                number(unit.previousScore), whole(unit.rankChange), number(unit.scoreChange),
                whole(unit.improvementRank),
            ]
            fields += unit.pillars.map { number($0.score) }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The result as JSON, keys sorted: what the API serves for a ranking's results.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
