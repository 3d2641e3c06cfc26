/// A ranking method: which sources, in which pillars, with which weights, normalised and
/// combined how. It is data (a versioned JSON document, see docs/RANKING.md) so that anyone
/// can read it and recompute a ranking from the open data.
public struct RankingMethod: Codable, Sendable, Hashable {
    /// The version of the document's shape; this Mandate reads `RankingMethod.schemaVersion`.
    public var schemaVersion: Int
    /// A stable identifier, e.g. `province-dti`.
    public var id: String
    /// The method's own version: a changed method is a new version, never an edit.
    public var version: Int
    public var nameVi: String
    public var nameEn: String
    /// The kind of unit ranked.
    public var unitKind: UnitKind
    /// How component scores make a pillar score, and pillar scores the overall score.
    public var aggregation: Aggregation
    /// What a unit's missing component counts as.
    public var missingData: MissingDataPolicy
    public var pillars: [Pillar]
    public var uncertainty: Uncertainty
    /// How many pseudo-ratings at the pooled share shrink each unit's satisfaction (docs/RANKING.md);
    /// left out, `defaultPseudoRatings`. Only satisfaction components read it.
    public var pseudoRatings: Int?

    public static let schemaVersion = 1
    public static let defaultPseudoRatings = 30
    /// The pseudo-ratings the satisfaction components use.
    public var effectivePseudoRatings: Int { pseudoRatings ?? Self.defaultPseudoRatings }

    public init(
        schemaVersion: Int = RankingMethod.schemaVersion, id: String, version: Int, nameVi: String, nameEn: String,
        unitKind: UnitKind, aggregation: Aggregation = .arithmetic, missingData: MissingDataPolicy = .reweight,
        pillars: [Pillar], uncertainty: Uncertainty = Uncertainty(), pseudoRatings: Int? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.version = version
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.unitKind = unitKind
        self.aggregation = aggregation
        self.missingData = missingData
        self.pillars = pillars
        self.uncertainty = uncertainty
        self.pseudoRatings = pseudoRatings
    }

    /// A group of components with a weight (e.g. digital government, 40).
    public struct Pillar: Codable, Sendable, Hashable {
        public var code: String
        public var nameVi: String
        public var nameEn: String
        /// Relative weight; the weights of the pillars a unit has are scaled to sum to 1.
        public var weight: Double
        public var components: [Component]

        public init(code: String, nameVi: String, nameEn: String, weight: Double, components: [Component]) {
            self.code = code
            self.nameVi = nameVi
            self.nameEn = nameEn
            self.weight = weight
            self.components = components
        }
    }

    /// One measured quantity in a pillar.
    public struct Component: Codable, Sendable, Hashable {
        public var code: String
        public var source: RankingSource
        /// Relative weight within its pillar.
        public var weight: Double
        /// Which way is better.
        public var direction: Direction
        public var normalisation: Normalisation
        /// Normalisations the Monte Carlo may swap in for `normalisation` (none: it never swaps).
        public var alternatives: [Normalisation]

        public init(
            code: String, source: RankingSource, weight: Double = 1, direction: Direction = .higher,
            normalisation: Normalisation = .minMax, alternatives: [Normalisation] = []
        ) {
            self.code = code
            self.source = source
            self.weight = weight
            self.direction = direction
            self.normalisation = normalisation
            self.alternatives = alternatives
        }

        /// Reads a component; `alternatives` may be left out.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                code: try container.decode(String.self, forKey: .code),
                source: try container.decode(RankingSource.self, forKey: .source),
                weight: try container.decode(Double.self, forKey: .weight),
                direction: try container.decode(Direction.self, forKey: .direction),
                normalisation: try container.decode(Normalisation.self, forKey: .normalisation),
                alternatives: try container.decodeIfPresent([Normalisation].self, forKey: .alternatives) ?? [])
        }

        /// The primary normalisation followed by the alternatives: option 0 is the point estimate.
        public var options: [Normalisation] { [normalisation] + alternatives }
    }

    /// How the Monte Carlo perturbs the method.
    public struct Uncertainty: Codable, Sendable, Hashable {
        /// Number of draws (0: no uncertainty is computed).
        public var draws: Int
        /// The seed of the SplitMix64 stream the draws take their numbers from.
        public var seed: UInt64
        /// Each weight is multiplied by a factor drawn uniformly from [1 − spread, 1 + spread].
        public var weightSpread: Double

        public static let defaultDraws = 1000
        public static let defaultSeed: UInt64 = 57
        public static let defaultWeightSpread = 0.25

        public init(
            draws: Int = Uncertainty.defaultDraws, seed: UInt64 = Uncertainty.defaultSeed,
            weightSpread: Double = Uncertainty.defaultWeightSpread
        ) {
            self.draws = draws
            self.seed = seed
            self.weightSpread = weightSpread
        }

        /// Reads the settings; each may be left out and takes its default.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                draws: try container.decodeIfPresent(Int.self, forKey: .draws) ?? Self.defaultDraws,
                seed: try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? Self.defaultSeed,
                weightSpread: try container.decodeIfPresent(Double.self, forKey: .weightSpread)
                    ?? Self.defaultWeightSpread)
        }
    }

    /// Reads a method; `aggregation` (arithmetic), `missingData` (reweight) and `uncertainty` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            schemaVersion: try container.decode(Int.self, forKey: .schemaVersion),
            id: try container.decode(String.self, forKey: .id),
            version: try container.decode(Int.self, forKey: .version),
            nameVi: try container.decode(String.self, forKey: .nameVi),
            nameEn: try container.decode(String.self, forKey: .nameEn),
            unitKind: try container.decode(UnitKind.self, forKey: .unitKind),
            aggregation: try container.decodeIfPresent(Aggregation.self, forKey: .aggregation) ?? .arithmetic,
            missingData: try container.decodeIfPresent(MissingDataPolicy.self, forKey: .missingData) ?? .reweight,
            pillars: try container.decode([Pillar].self, forKey: .pillars),
            uncertainty: try container.decodeIfPresent(Uncertainty.self, forKey: .uncertainty) ?? Uncertainty(),
            pseudoRatings: try container.decodeIfPresent(Int.self, forKey: .pseudoRatings))
    }

    /// Every component, pillar by pillar, in the document's order.
    public var components: [Component] { pillars.flatMap(\.components) }

    /// The columns of the tables the method reads (`RankingSource.inputKeys`).
    public var inputKeys: Set<String> { Set(components.flatMap(\.source.inputKeys)) }
}

/// How scores are combined: the weighted arithmetic mean, or the weighted geometric mean (which
/// lets a strong score make up less for a weak one).
public enum Aggregation: String, Codable, Sendable, Hashable, CaseIterable, ListedValues {
    case arithmetic
    case geometric

    /// Scores below this count as this in a geometric mean, so that one zero does not erase the rest.
    public static let geometricFloor = 1.0
}

/// What a unit's missing component counts as.
public enum MissingDataPolicy: String, Codable, Sendable, Hashable, CaseIterable, ListedValues {
    /// Left out: the weights of the unit's present components are scaled up to sum to 1.
    case reweight
    /// The mean normalised score of the units that have the component.
    case groupMean
    /// A normalised score of 0.
    case zero
}

extension RankingMethod {
    /// Whether the method ranks a programme's work: one of its components reads an indicator the
    /// programme's tasks move, or (when the programme has tasks) a delivery measure, which counts
    /// every programme's tasks. A programme's page lists the methods this holds for.
    public func measures(programmeIndicators indicators: Set<String>, hasTasks: Bool) -> Bool {
        components.contains { component in
            switch component.source {
            case .indicator(let code): indicators.contains(code)
            case .delivery: hasTasks
            case .satisfaction: false
            }
        }
    }
}
