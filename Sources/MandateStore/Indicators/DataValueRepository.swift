import MandateCore

/// A slice of values: any indicators × units × periods (an empty list means all).
public struct ValueQuery: Sendable, Equatable {
    public var indicators: [String]
    public var units: [String]
    public var periods: [String]
    /// Only approved (public) values.
    public var approvedOnly: Bool
    public var limit: Int
    public var offset: Int

    public init(
        indicators: [String] = [], units: [String] = [], periods: [String] = [], approvedOnly: Bool = true,
        limit: Int = 10_000, offset: Int = 0
    ) {
        self.indicators = indicators
        self.units = units
        self.periods = periods
        self.approvedOnly = approvedOnly
        self.limit = limit
        self.offset = offset
    }
}

/// What a submission changed.
public struct WriteSummary: Codable, Sendable, Equatable {
    public var created = 0
    /// Values corrected (the old value kept in history) or approved.
    public var updated = 0
    /// Values identical to the stored ones: nothing was written for them.
    public var unchanged = 0

    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Who submits values, and as what.
public struct Submitter: Sendable, Equatable {
    /// The user; nil for an operator's import from the command line.
    public var userId: String?
    /// `approved` only for those who may approve every value submitted (or an operator's import).
    public var status: ValueStatus
    /// ISO-8601 UTC instant of the submission.
    public var at: String

    public init(userId: String?, status: ValueStatus, at: String) {
        self.userId = userId
        self.status = status
        self.at = at
    }
}

/// Reported values, their history and their roll-ups.
public protocol DataValueRepository: Sendable {
    /// Checks the inputs against the indicators, units, rules and stored values, then stores them
    /// all in one transaction with the roll-ups they change; or throws `ValidationFailure` (every bad
    /// row) and stores nothing. `wholeSubmission` holds them to `required` rules too (a file, a
    /// form). `progress` is told the number of rows stored so far.
    func submit(
        _ parts: DataValueParts, by submitter: Submitter, wholeSubmission: Bool,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> WriteSummary
    /// Stores `inputs` as `submit` does, and answers with what is stored for `keys` once they are
    /// stored, read in the same transaction: the answer to a write always reflects that write,
    /// whatever the readers' snapshots.
    func submit(
        _ inputs: [DataValueInput], by submitter: Submitter, readingBack keys: [DataValueKey]
    ) async throws -> (summary: WriteSummary, stored: [DataValueKey: DataValue])
    /// Makes drafts public, all in one transaction: the one place values are approved. Returns the
    /// values of the keys that exist (those approved before stay as they were).
    func approve(_ keys: [DataValueKey], by userId: String?, at: String) async throws -> [DataValue]
    /// The current value, draft or approved.
    func get(_ key: DataValueKey) async throws -> DataValue?
    /// Earlier values of a key, oldest first.
    func history(of key: DataValueKey) async throws -> [DataValueRevision]
    /// Values of a slice, ordered by indicator, unit, period.
    func list(_ query: ValueQuery) async throws -> [DataValue]
    /// When the first value of each key of `unit` arrived, for the periods given.
    func firstReported(unit: String, periods: [String]) async throws -> [DataValueKey: String]
    /// How many values of `unit` await approval, by period: drafts, and corrections of approved
    /// values.
    func awaitingApproval(unit: String) async throws -> [String: Int]
    /// The totals over the approved values below `unit`; nil when none.
    func rollup(indicator: String, unit: String, period: String) async throws -> RollupTotals?
    /// The public figures (`PublicFigure.of`) of `indicator` for `units` and `periods` (every one
    /// when empty), by unit, then period.
    func figures(
        of indicator: Indicator, units: [String], periods: [String]
    ) async throws -> [String: [String: PublicFigure]]
    /// The public figures of `indicator` for `periods`, every unit's, by period, then unit. Each
    /// period's is kept while its figure version holds: any write that moves one of its figures
    /// bumps it, in its own transaction (`FigureVersions`), so a kept slice is never stale.
    func slices(of indicator: Indicator, periods: [String]) async throws -> [String: [String: PublicFigure]]
    /// The public figures of `indicators` for `units`, every period, by indicator code, then unit,
    /// then period: what `figures(of:units:periods:)` gives for each indicator, read at once (a
    /// unit's profile shows every indicator).
    func figures(of indicators: [Indicator], units: [String]) async throws -> [String: [String: [String: PublicFigure]]]
}

extension DataValueRepository {
    public func submit(_ inputs: [DataValueInput], by submitter: Submitter) async throws -> WriteSummary {
        try await submit(DataValueParts(inputs), by: submitter, wholeSubmission: false, progress: nil)
    }

    public func submit(
        _ inputs: [DataValueInput], by submitter: Submitter, wholeSubmission: Bool,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> WriteSummary {
        try await submit(DataValueParts(inputs), by: submitter, wholeSubmission: wholeSubmission, progress: progress)
    }
}
