/// Computes a period's ranking by a method: scores, ranks, pillar scores, change since the
/// previous period, the most improved, and each rank's Monte Carlo interval.
/// docs/RANKING.md states every step; the Python reference in `reference/` implements it again.
public struct RankingEngine: Sendable {
    public let method: RankingMethod

    /// An engine for a valid method; an invalid one is refused with its problems.
    public init(method: RankingMethod) throws(ValidationFailure) {
        try method.validate()
        self.method = method
    }

    /// The ranking of `table`, with the change since `previous` when given, and the Monte Carlo
    /// intervals unless the method's (or the overriding `uncertainty`'s) draws are 0. The digest of
    /// the inputs is left to the publisher (`RankingTable.digest`), as it is not part of the ranking.
    public func rank(
        _ table: RankingTable, previous: RankingTable? = nil, uncertainty: RankingMethod.Uncertainty? = nil
    ) throws(ValidationFailure) -> RankingResult {
        let prepared = try prepare(table, previous: previous, uncertainty: uncertainty)
        return assemble(prepared, intervals: prepared.monteCarlo?.intervals())
    }

    /// The same ranking, its Monte Carlo draws split among `workers` concurrent tasks (the
    /// result is identical: every draw's random numbers are fixed by its position).
    public func rank(
        _ table: RankingTable, previous: RankingTable? = nil, uncertainty: RankingMethod.Uncertainty? = nil,
        workers: Int
    ) async throws(ValidationFailure) -> RankingResult {
        let prepared = try prepare(table, previous: previous, uncertainty: uncertainty)
        var intervals: [RankInterval?]?
        if let monteCarlo = prepared.monteCarlo { intervals = await monteCarlo.intervals(workers: workers) }
        return assemble(prepared, intervals: intervals)
    }

    /// The point estimate, the previous period's, and the Monte Carlo to run.
    struct Prepared {
        let table: RankingTable
        let previous: RankingTable?
        let settings: RankingMethod.Uncertainty
        let point: (scores: [Double?], ranks: [Int?], pillars: [[Double?]])
        let before: [(score: Double, rank: Int)?]
        let monteCarlo: MonteCarlo?
    }

    func prepare(
        _ table: RankingTable, previous: RankingTable?, uncertainty: RankingMethod.Uncertainty?
    ) throws(ValidationFailure) -> Prepared {
        let settings = uncertainty ?? method.uncertainty
        let problems = settings.problems()
        if !problems.isEmpty { throw ValidationFailure(problems) }
        let model = try ScoreModel(method: method, table: table, alternatives: settings.draws > 0)
        let point = pointEstimate(model)
        var before = [(score: Double, rank: Int)?](repeating: nil, count: table.units.count)
        if let previous {
            let previousModel = try ScoreModel(method: method, table: previous, alternatives: false)
            let previousPoint = pointEstimate(previousModel)
            // Both tables list their units in code order: walk them side by side.
            var other = 0
            for (index, code) in table.units.enumerated() {
                while other < previous.units.count && RankingTable.codeOrder(previous.units[other], code) { other += 1 }
                guard other < previous.units.count, previous.units[other] == code else { continue }
                if let score = previousPoint.scores[other], let rank = previousPoint.ranks[other] {
                    before[index] = (score, rank)
                }
            }
        }
        return Prepared(
            table: table, previous: previous, settings: settings, point: point, before: before,
            monteCarlo: settings.draws > 0 ? MonteCarlo(model: model, settings: settings) : nil)
    }

    /// The result: every unit with its score, rank, pillars, change, improvement rank and interval.
    func assemble(_ prepared: Prepared, intervals: [RankInterval?]?) -> RankingResult {
        let table = prepared.table
        let point = prepared.point
        let before = prepared.before
        let settings = prepared.settings
        let previous = prepared.previous

        var units: [UnitRanking] = []
        units.reserveCapacity(table.units.count)
        var changes: [Double?] = []
        changes.reserveCapacity(table.units.count)
        let pillarCodes = method.pillars.map(\.code)
        for (index, code) in table.units.enumerated() {
            var result = UnitRanking(
                unit: code, score: point.scores[index], rank: point.ranks[index],
                pillars: pillarCodes.indices.map {
                    PillarScore(pillar: pillarCodes[$0], score: point.pillars[$0][index])
                },
                interval: intervals?[index])
            if let score = result.score, let rank = result.rank, let before = before[index] {
                result.previousScore = before.score
                result.previousRank = before.rank
                result.scoreChange = score - before.score
                result.rankChange = before.rank - rank
            }
            changes.append(result.scoreChange)
            units.append(result)
        }
        for (index, rank) in CompetitionRanking.ranks(changes).enumerated() {
            units[index].improvementRank = rank
        }
        // By rank, unranked last; within a rank, by code (the table's order): rank and index packed.
        let order = units.indices.map { index in
            UInt64(units[index].rank ?? CompetitionRanking.maximumUnits) << 20 | UInt64(index)
        }.sorted()
        units = order.map { units[Int($0 & 0xF_FFFF)] }
        return RankingResult(
            methodId: method.id, methodVersion: method.version, period: table.period,
            previousPeriod: previous?.period, previousMissingComponents: previous.map { missingComponents(table, $0) },
            uncertainty: settings.draws > 0 ? settings : nil, units: units)
    }

    /// The components, in the method's order, that some unit has in `table` and none in `previous`:
    /// a change since `previous` then weighs units on fewer components before than now.
    func missingComponents(_ table: RankingTable, _ previous: RankingTable) -> [String] {
        func present(_ key: String, in table: RankingTable) -> Bool {
            table.columns[key]?.contains { $0 != nil } ?? false
        }
        return method.components.filter {
            present($0.source.presenceKey, in: table) && !present($0.source.presenceKey, in: previous)
        }
        .map(\.code)
    }

    /// Scores, ranks and pillar scores by the method as written (option 0, weights unperturbed).
    func pointEstimate(_ model: ScoreModel) -> (scores: [Double?], ranks: [Int?], pillars: [[Double?]]) {
        let count = model.unitCount
        var buffers = ScoreModel.Buffers(unitCount: count)
        var scores = [Double](repeating: .nan, count: count)
        var pillars = [Double](repeating: .nan, count: count * method.pillars.count)
        pillars.withUnsafeMutableBufferPointer { pillarScores in
            model.evaluate(
                pillarWeights: model.pillarWeights, componentWeights: model.componentWeights,
                options: Array(repeating: 0, count: model.componentWeights.count), buffers: &buffers, scores: &scores,
                pillarScores: pillarScores)
        }
        let optionalScores = scores.map { $0.isNaN ? nil : $0 }
        return (
            optionalScores, CompetitionRanking.ranks(optionalScores),
            method.pillars.indices.map { p in
                (0..<count).map { unit in
                    let score = pillars[p * count + unit]
                    return score.isNaN || !model.hasData[unit] ? nil : score
                }
            }
        )
    }
}
