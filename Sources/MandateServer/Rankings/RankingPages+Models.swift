import MandateCore

/// The list of published rankings, and the committee's tools to draft and compare.
struct RankingsIndexModel: PageModel {
    /// The list follows the publications as they happen.
    let live = "*"
    let liveEvents = "ranking-published"
    struct Publication: Sendable {
        let href: String
        let method: String
        let methodId: String
        let period: String
        let version: Int
        let publishedAt: String
        /// The kind of units ranked, in words.
        let kind: String
    }

    struct Method: Sendable {
        let id: String
        let version: Int
        let name: String
    }

    let publications: [Publication]
    let hasPublications: Bool
    let methods: [Method]
    /// Whether the reader may draft and publish (the forms are shown).
    let committee: Bool
}

/// A ranking as its page shows it: published (with its files and versions) or a draft (with the
/// form that publishes exactly what was reviewed).
struct RankingModel: PageModel {
    struct Row: Sendable {
        let code: String
        let name: String
        let rank: String
        let score: String
        let pillars: [String]
        let ranked: Bool
        let interval: String?
        let median: Int?
        let rankChange: String?
        let scoreChange: String?
    }

    struct Improved: Sendable {
        let name: String
        let code: String
        let rank: Int
        let scoreChange: String
    }

    /// The table every ranking page shows.
    struct Table: Sendable {
        let methodId: String
        let methodVersion: Int
        let methodName: String
        let period: String
        let previousPeriod: String?
        let pillars: [String]
        let rows: [Row]
        let improved: [Improved]
        let intervalHint: String
        let hasIntervals: Bool
        let chart: String?
        let previousMissing: String?
    }

    /// What a published version adds: its files, the command that recomputes it, and a newer version.
    struct Published: Sendable {
        let version: Int
        let publishedAt: String
        let inputsHref: String
        let methodHref: String
        let unitsHref: String
        let command: String
        let jsonHref: String
        let superseded: String?
        let latestHref: String?
    }

    /// What a draft adds: the publish form's hidden fields, and what changed since it was reviewed.
    struct Draft: Sendable {
        let previousInput: String
        let methodDigest: String
        let changes: [String]
    }

    let methodId: String
    let methodVersion: Int
    let methodName: String
    let period: String
    let previousPeriod: String?
    let pillars: [String]
    let rows: [Row]
    let improved: [Improved]
    let hasImproved: Bool
    let intervalHint: String
    let hasIntervals: Bool
    let chart: String?
    let previousMissing: String?
    let digest: String
    // A published version
    let version: Int?
    let publishedAt: String?
    let inputsHref: String?
    let methodHref: String?
    let unitsHref: String?
    let command: String?
    let jsonHref: String?
    let superseded: String?
    let latestHref: String?
    // A draft
    let draft: Bool
    let previousInput: String?
    let methodDigest: String?
    let changed: Bool
    let changes: [String]

    init(_ table: Table, digest: String, published: Published? = nil, draft: Draft? = nil) {
        methodId = table.methodId
        methodVersion = table.methodVersion
        methodName = table.methodName
        period = table.period
        previousPeriod = table.previousPeriod
        pillars = table.pillars
        rows = table.rows
        improved = table.improved
        hasImproved = !table.improved.isEmpty
        intervalHint = table.intervalHint
        hasIntervals = table.hasIntervals
        chart = table.chart
        previousMissing = table.previousMissing
        self.digest = digest
        version = published?.version
        publishedAt = published?.publishedAt
        inputsHref = published?.inputsHref
        methodHref = published?.methodHref
        unitsHref = published?.unitsHref
        command = published?.command
        jsonHref = published?.jsonHref
        superseded = published?.superseded
        latestHref = published?.latestHref
        self.draft = draft != nil
        previousInput = draft?.previousInput
        methodDigest = draft?.methodDigest
        changed = !(draft?.changes.isEmpty ?? true)
        changes = draft?.changes ?? []
    }
}

/// Two methods' drafts for one period, unit by unit.
struct RankingCompareModel: PageModel {
    struct Row: Sendable {
        let code: String
        let name: String
        let rankA: String
        let scoreA: String
        let rankB: String
        let scoreB: String
        let difference: String?
    }

    let period: String
    let methodA: String
    let methodB: String
    let idA: String
    let idB: String
    let rows: [Row]
    let sameKind: Bool
}
