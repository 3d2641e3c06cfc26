/// A period's ranking: every unit's score, rank, pillar scores, change since the previous period
/// and rank interval, with what produced it.
public struct RankingResult: Codable, Sendable, Equatable {
    public var methodId: String
    public var methodVersion: Int
    public var period: String
    public var previousPeriod: String?
    /// With a previous period: the components (codes, in the method's order) that have values in
    /// the period and none in the previous one, so that the change and the most improved ranking
    /// compare scores made of different components. Empty when the two periods have the same.
    public var previousMissingComponents: [String]?
    /// The Monte Carlo that produced the intervals; nil when none ran.
    public var uncertainty: RankingMethod.Uncertainty?
    /// SHA-256 of the inputs' canonical CSV (see `RankingTable.digest`), once the publisher sets it.
    public var inputDigest: String?
    /// Ranked units by rank (then code), then the units without data by code.
    public var units: [UnitRanking]

    public init(
        methodId: String, methodVersion: Int, period: String, previousPeriod: String?,
        previousMissingComponents: [String]? = nil, uncertainty: RankingMethod.Uncertainty?,
        inputDigest: String? = nil, units: [UnitRanking]
    ) {
        self.methodId = methodId
        self.methodVersion = methodVersion
        self.period = period
        self.previousPeriod = previousPeriod
        self.previousMissingComponents = previousMissingComponents
        self.uncertainty = uncertainty
        self.inputDigest = inputDigest
        self.units = units
    }

    /// The result for `unit`, if it was in the input.
    public func unit(_ code: String) -> UnitRanking? {
        units.first { $0.unit == code }
    }

    /// The units with a score change, by improvement rank (then code): the "most improved" ranking.
    public var mostImproved: [UnitRanking] {
        units.filter { $0.improvementRank != nil }.sorted {
            if $0.improvementRank != $1.improvementRank { return ($0.improvementRank ?? 0) < ($1.improvementRank ?? 0) }
            return RankingTable.codeOrder($0.unit, $1.unit)
        }
    }
}

/// One unit's place in a ranking.
public struct UnitRanking: Codable, Sendable, Equatable {
    public var unit: String
    /// 0–100; nil when the unit has no value for any component (it is then unranked).
    public var score: Double?
    /// Competition rank (1, 2, 2, 4): one more than the number of units with a higher score.
    public var rank: Int?
    /// The score of each pillar, in the method's order; nil for a pillar without data.
    public var pillars: [PillarScore]
    public var previousScore: Double?
    public var previousRank: Int?
    /// score − previous score.
    public var scoreChange: Double?
    /// previous rank − rank: positive when the unit moved up.
    public var rankChange: Int?
    /// The unit's rank by score change (1 = most improved).
    public var improvementRank: Int?
    /// Where the unit ranks when the weights and normalisations are perturbed.
    public var interval: RankInterval?

    public init(
        unit: String, score: Double?, rank: Int?, pillars: [PillarScore], previousScore: Double? = nil,
        previousRank: Int? = nil, scoreChange: Double? = nil, rankChange: Int? = nil, improvementRank: Int? = nil,
        interval: RankInterval? = nil
    ) {
        self.unit = unit
        self.score = score
        self.rank = rank
        self.pillars = pillars
        self.previousScore = previousScore
        self.previousRank = previousRank
        self.scoreChange = scoreChange
        self.rankChange = rankChange
        self.improvementRank = improvementRank
        self.interval = interval
    }

    /// The score of pillar `code`.
    public func pillar(_ code: String) -> Double? {
        pillars.first { $0.pillar == code }?.score
    }
}

/// A pillar's score for one unit.
public struct PillarScore: Codable, Sendable, Equatable {
    public var pillar: String
    public var score: Double?

    public init(pillar: String, score: Double?) {
        self.pillar = pillar
        self.score = score
    }
}

/// The ranks a unit takes over the Monte Carlo draws: the 5th percentile (its best plausible
/// rank), the median and the 95th percentile, each by the nearest-rank method.
public struct RankInterval: Codable, Sendable, Equatable {
    public var low: Int
    public var median: Int
    public var high: Int

    public init(low: Int, median: Int, high: Int) {
        self.low = low
        self.median = median
        self.high = high
    }
}
