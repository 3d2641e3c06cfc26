/// Where a component's values come from. In JSON an object with exactly one key:
/// `{"indicator": "DTI_CQS"}`, `{"delivery": "on_time_rate"}` or `{"satisfaction": "services"}`.
public enum RankingSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An indicator's values for the ranked period, by its code.
    case indicator(String)
    /// A measure of task delivery (C2) over the period.
    case delivery(DeliveryMeasure)
    /// A satisfaction score from citizens' and businesses' ratings (C7), by its name.
    case satisfaction(String)

    /// The measures of delivery per unit: the task module's, and the feedback module's answers.
    public enum DeliveryMeasure: String, Codable, Sendable, Hashable, CaseIterable, ListedValues {
        /// Share of tasks due in the period completed by their deadline, 0–100.
        case onTimeRate = "on_time_rate"
        /// Tasks past their deadline and not completed.
        case overdueCount = "overdue_count"
        /// Mean days late of tasks completed late.
        case meanDaysLate = "mean_days_late"
        /// Share of progress reports submitted on time, 0–100.
        case reportingTimeliness = "reporting_timeliness"
        /// Share of the published comments about the unit whose answer was due that were
        /// answered by their due day, 0–100 (`Feedback.answerTimeliness`).
        case feedbackAnsweredOnTime = "feedback_answered_on_time"
        /// Share of the databases expected of the unit and the units below it that are declared
        /// and complete, 0–100 (`CatalogueCompletion.completionRate`).
        case catalogueCompletion = "catalogue_completion"
        /// Share of the databases the unit and the units below it declared that are living,
        /// 0–100 (`CatalogueCompletion.livingRate`).
        case catalogueLiving = "catalogue_living"
    }

    /// The key of the source's column in a `RankingTable` and in the open-data values file's
    /// `indicator` column: `DTI_CQS`, `delivery:on_time_rate`, `satisfaction:services`.
    public var key: String {
        switch self {
        case .indicator(let code): code
        case .delivery(let measure): "delivery:" + measure.rawValue
        case .satisfaction(let name): "satisfaction:" + name
        }
    }

    public var description: String { key }

    /// The satisfaction measures a source may name: the overall score and each SIPAS factor.
    public static let satisfactionMeasures = ["overall"] + SipasFactor.allCases.map(\.rawValue)

    /// The columns of a `RankingTable` (and rows of a values file) the source is read from: its
    /// key, or for satisfaction the counts `satisfaction:NAME:satisfied` (ratings of 4 or 5) and
    /// `satisfaction:NAME:ratings` (all ratings), per unit and period.
    public var inputKeys: [String] {
        switch self {
        case .satisfaction: [key + ":satisfied", key + ":ratings"]
        default: [key]
        }
    }

    /// The column whose values say which units have the source: the ratings for satisfaction.
    public var presenceKey: String { inputKeys.last ?? key }

    /// The source a key names (the inverse of `key`); nil for an unknown delivery measure.
    public init?(key: String) {
        if key.hasPrefix("delivery:") {
            guard let measure = DeliveryMeasure(rawValue: String(key.dropFirst("delivery:".count))) else { return nil }
            self = .delivery(measure)
        } else if key.hasPrefix("satisfaction:") {
            self = .satisfaction(String(key.dropFirst("satisfaction:".count)))
        } else {
            self = .indicator(key)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case indicator, delivery, satisfaction
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let present = CodingKeys.allCases.filter { container.contains($0) }
        guard present.count == 1, let key = present.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a source has exactly one of indicator, delivery or satisfaction"))
        }
        switch key {
        case .indicator: self = .indicator(try container.decode(String.self, forKey: .indicator))
        case .delivery: self = .delivery(try container.decode(DeliveryMeasure.self, forKey: .delivery))
        case .satisfaction: self = .satisfaction(try container.decode(String.self, forKey: .satisfaction))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .indicator(let code): try container.encode(code, forKey: .indicator)
        case .delivery(let measure): try container.encode(measure, forKey: .delivery)
        case .satisfaction(let name): try container.encode(name, forKey: .satisfaction)
        }
    }
}
