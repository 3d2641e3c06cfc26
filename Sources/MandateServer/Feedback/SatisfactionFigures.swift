import MandateCore

/// A unit's satisfaction over a period as the API gives it (`Satisfaction.of` of its counts,
/// its communes' taken in): under the minimum number of ratings, only n.
struct SatisfactionFigures: Codable, Sendable {
    struct Figure: Codable, Sendable {
        let n: Int
        /// Whether the figure is published (n ≥ the minimum); the rest is null when it is not.
        let shown: Bool
        let satisfied: Int?
        let share: Double?
        let low: Double?
        let high: Double?
        let mean: Double?
        let uncertain: Bool?

        init(_ counts: ScoreCounts, minimum: Int) {
            let figure = Satisfaction.of(counts, minimum: minimum)
            n = figure.n
            shown = figure.isShown
            satisfied = shown ? figure.satisfied : nil
            share = shown ? figure.share : nil
            low = shown ? figure.low : nil
            high = shown ? figure.high : nil
            mean = shown ? figure.mean : nil
            uncertain = shown ? figure.isUncertain : nil
        }
    }

    let unit: String
    let period: String
    let minimum: Int
    let overall: Figure
    let factors: [String: Figure]

    init(unit: String, period: String, counts: FeedbackCounts, minimum: Int) {
        self.unit = unit
        self.period = period
        self.minimum = minimum
        overall = Figure(counts.overall, minimum: minimum)
        factors = Dictionary(
            uniqueKeysWithValues: SipasFactor.allCases.map {
                ($0.rawValue, Figure(counts.factors[$0] ?? ScoreCounts(), minimum: minimum))
            })
    }
}

/// A unit's satisfaction as its profile shows it, in the page's language.
struct SatisfactionModel: Sendable {
    struct Row: Sendable {
        let label: String
        /// "83,9 %", or "not enough ratings yet (n = 12)".
        let share: String
        let interval: String?
        let mean: String?
        let n: String
        let uncertain: Bool
    }

    /// A published comment, with the way to report it.
    struct Comment: Sendable {
        let text: String
        let overall: Int
        let received: String
        let receivedAt: String
        let reportHref: String
    }

    let year: Int
    let overall: Row
    let factors: [Row]
    let hasFactors: Bool
    /// A province's figures take in its communes'.
    let rollsUp: Bool
    let href: String
    /// "3 comments hidden (…); their ratings count."
    let hidden: String?
    let comments: [Comment]
    let hasComments: Bool

    init(
        unit: OrgUnit, year: Int, counts: FeedbackCounts, minimum: Int, hidden: [ModerationReason: Int],
        comments: [Feedback], page: PageRequest
    ) {
        func row(_ label: String, _ counts: ScoreCounts) -> Row {
            let figure = Satisfaction.of(counts, minimum: minimum)
            guard figure.isShown else {
                return Row(
                    label: label, share: page.t("satisfaction_notEnough", ["n": page.number(figure.n)]),
                    interval: nil, mean: nil, n: page.number(figure.n), uncertain: false)
            }
            return Row(
                label: label, share: page.number(figure.share * 100) + " %",
                interval: page.number(figure.low * 100) + "–" + page.number(figure.high * 100) + " %",
                mean: page.number(figure.mean), n: page.number(figure.n), uncertain: figure.isUncertain)
        }
        self.year = year
        overall = row(page.t("satisfaction_overall"), counts.overall)
        factors = SipasFactor.allCases.compactMap { factor in
            counts.factors[factor].map { row(page.t("feedback_factor_\(factor.rawValue)"), $0) }
        }
        hasFactors = !factors.isEmpty
        rollsUp = unit.kind == .province
        href = "/api/v1/units/\(unit.code)/satisfaction?period=\(year)"
        let hiddenCount = hidden.values.reduce(0, +)
        let reasons = ModerationReason.allCases.compactMap { reason in
            hidden[reason].map { "\(page.t("moderation_reason_\(reason.rawValue)")): \(page.number($0))" }
        }
        self.hidden =
            hiddenCount == 0
            ? nil
            : page.t(
                "satisfaction_hidden", ["count": page.number(hiddenCount), "reasons": reasons.joined(separator: "; ")])
        self.comments = comments.compactMap { item in
            guard let text = item.comment, let reference = item.reference else { return nil }
            return Comment(
                text: text, overall: item.overall, received: HanoiTime.text(item.receivedAt, page.language),
                receivedAt: item.receivedAt, reportHref: "/feedback/comments/\(reference)/report")
        }
        hasComments = !self.comments.isEmpty
    }
}
