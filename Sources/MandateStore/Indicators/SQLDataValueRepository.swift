import MandateCore
import SQLKit

/// What a kept slice of public figures was read under: never stale under its key.
struct KeptSlice: Hashable, Sendable {
    var indicator: String
    var period: String
    var method: RollupMethod
    var version: Int64
}

/// What a kept public slice of approved values was read under: one indicator, its periods in the
/// order asked, each with its figure version.
struct KeptRows: Hashable, Sendable {
    var indicator: String
    var periods: [[String: Int64]]
}

/// `DataValueRepository` on SQLite or PostgreSQL.
public struct SQLDataValueRepository: DataValueRepository {
    let database: any MandateDatabase
    /// Slices of public figures, each under the figure version it was read at (`slices(of:periods:)`).
    let keptSlices = BoundedTable<KeptSlice, [String: PublicFigure]>(capacity: 64)
    /// Public slices of approved values, each under the figure versions of its periods (`approvedRows`).
    let keptRows = BoundedTable<KeptRows, [DataValue]>(capacity: 16)

    public init(database: any MandateDatabase) {
        self.database = database
    }

    /// `indicator_code IN (SELECT code FROM indicators)`: true of every value, and what lets a query by
    /// unit walk the key (indicator, unit, period) one indicator at a time instead of the whole table.
    static let everyIndicator = SQLBinaryExpression(
        SQLIdentifier("indicator_code"), .in,
        SQLGroupExpression(SQLRaw("SELECT code FROM indicators")))

    /// Rows per part: a twentieth of the submission, within these bounds. Larger parts put more
    /// rows in key order and pass fewer times between the checking and the storing (a million
    /// rows: 3.3-3.6 s in parts of 50,000 against 4.0-4.1 s in parts of 5,000); smaller ones start
    /// the storing sooner and bound the memory a part holds.
    public static let partSizes = 5000...50_000

    public static func partSize(expected: Int) -> Int {
        min(max(expected / 20, partSizes.lowerBound), partSizes.upperBound)
    }

    public func submit(
        _ parts: DataValueParts, by submitter: Submitter, wholeSubmission: Bool,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> WriteSummary {
        try await database.transaction { db in
            try await submit(parts, by: submitter, wholeSubmission: wholeSubmission, progress: progress, on: db)
        }
    }

    public func submit(
        _ inputs: [DataValueInput], by submitter: Submitter, readingBack keys: [DataValueKey]
    ) async throws -> (summary: WriteSummary, stored: [DataValueKey: DataValue]) {
        try await database.transaction { db in
            let summary = try await submit(
                DataValueParts(inputs), by: submitter, wholeSubmission: false, progress: nil, on: db)
            var stored = try await DataValueRow.fetch(keys, on: db)
            try await PendingCorrections.attach(to: &stored, on: db)
            return (summary, stored)
        }
    }

    /// The submission's checking and storing, inside the caller's transaction.
    private func submit(
        _ parts: DataValueParts, by submitter: Submitter, wholeSubmission: Bool,
        progress: (@Sendable (Int) -> Void)?, on db: any SQLDatabase
    ) async throws -> WriteSummary {
        var parts = parts
        let definitions = try await database.definitions.current(on: db)
        let writer = ValueWriter.prepare(
            on: db, definitions: definitions, units: try await database.units.current(on: db))
        let rules = definitions.rules
        let context = ValueCheckContext(
            indicators: writer.indicators, unitKinds: writer.units.kinds,
            ceased: writer.units.former.compactMapValues { $0 }, rules: rules,
            today: CivilDate.inHanoi(atUTC: submitter.at))
        var checker = ValueChecker(context: context, submission: wholeSubmission, expected: parts.expected)
        // Each part is read and checked while the one before is stored (on a second core). A
        // problem anywhere stops the storing; the reading and checking go on, to report every
        // problem, and the transaction rolls back: nothing of a bad submission is kept.
        let summary = try await withThrowingTaskGroup(of: WriteSummary.self) { stores in
            var summary = WriteSummary()
            var storing = false
            func add(_ part: WriteSummary) {
                summary.created += part.created
                summary.updated += part.updated
                summary.unchanged += part.unchanged
                progress?(summary.created + summary.updated + summary.unchanged)
            }
            let size = Self.partSize(expected: parts.expected)
            while let part = try parts.next(upTo: size) {
                let values = checker.check(part)
                guard checker.isClean && parts.shapeErrors.isEmpty else { continue }
                writer.noteChanges(of: values.lazy.map(\.key), approved: submitter.status == .approved)
                let rows = writer.newRows(values, at: submitter.at)
                if storing, let stored = try await stores.next() { add(stored) }
                stores.addTask { try await Self.store(rows, with: writer, by: submitter) }
                storing = true
            }
            while let stored = try await stores.next() { add(stored) }
            return summary
        }
        if checker.needsStoredValues {
            // Read now, after the storing: the submitted keys hold their new values, which the
            // rules would put in place of the stored ones anyway; every other key is as it was.
            // (When a problem stopped the storing, later keys hold their old values, in place
            // of which the rules put the submitted ones too.)
            checker.stored = try await Self.ruledValues(
                checker.ruledKeys, rules: rules, wholeSubmission: wholeSubmission, on: db)
        }
        // A row of the wrong shape has no fields to check; it is reported among the others.
        try checker.finish(adding: parts.shapeErrors)
        return summary
    }

    /// Stores checked values: the new ones in one pass, then the others each compared with what is
    /// stored.
    static func store(
        _ rows: ValueWriter.NewRows, with writer: ValueWriter, by submitter: Submitter
    ) async throws
        -> WriteSummary
    {
        var summary = WriteSummary()
        let values = rows.values
        var stored = values
        // One value is as quickly looked up as tried.
        if values.count > 1 {
            stored = try await writer.insertNew(rows, by: submitter)
            summary.created = values.count - stored.count
            if stored.isEmpty { return summary }
        }
        var existing = try await DataValueRow.fetch(stored.map(\.key), on: writer.db)
        try await PendingCorrections.attach(to: &existing, on: writer.db)
        let changes = writer.changes(stored, existing: existing, by: submitter, summary: &summary)
        try await writer.apply(changes, replacedBy: submitter.userId, at: submitter.at)
        return summary
    }

    /// The stored values the rules may compare against, for the units and periods of the `submitted` keys.
    static func ruledValues(
        _ submitted: some Sequence<DataValueKey>, rules: [ValidationRule], wholeSubmission: Bool,
        on db: any SQLDatabase
    ) async throws -> [DataValueKey: Double] {
        let ruled = Set(rules.flatMap(\.indicators))
        guard !ruled.isEmpty else { return [:] }
        // A `required` rule asks every unit and period a whole submission names; the other rules
        // only those where a value they read is submitted.
        let everyCell = wholeSubmission && rules.contains { $0.kind == .required }
        var keys = Set<DataValueKey>()
        for key in submitted where everyCell || ruled.contains(key.indicator) {
            for code in ruled {
                keys.insert(DataValueKey(indicator: code, unit: key.unit, period: key.period))
            }
        }
        return try await DataValueRow.fetch(Array(keys), on: db).mapValues(\.value)
    }

    /// The one function that approves a value: the moment a reported value becomes public.
    ///
    /// It runs in one transaction: the status change (as `ValueLifecycle.step` says for an approval)
    /// and the roll-up totals of every ancestor. (The transparency log appends the approved value's
    /// leaf here, in the same transaction.)
    public func approve(_ keys: [DataValueKey], by userId: String?, at: String) async throws -> [DataValue] {
        guard !keys.isEmpty else { return [] }
        return try await database.transaction { db in
            var stored = try await DataValueRow.fetch(keys, on: db)
            try await PendingCorrections.attach(to: &stored, on: db)
            var changes = ValueWriter.Changes()
            var values: [DataValue] = []
            for key in keys {
                guard let old = stored[key] else { continue }
                values.append(
                    changes.add(
                        ValueLifecycle.step(ValueLifecycle.Stored(old), .approval), to: old, by: userId, at: at))
            }
            let writer = ValueWriter.prepare(
                on: db, definitions: try await database.definitions.current(on: db),
                units: try await database.units.current(on: db))
            writer.noteChanges(of: values.lazy.map(\.key), approved: true)
            try await writer.apply(changes, replacedBy: userId, at: at)
            return values
        }
    }

    public func get(_ key: DataValueKey) async throws -> DataValue? {
        try await database.read { db in
            var found = try await DataValueRow.fetch([key], on: db)
            try await PendingCorrections.attach(to: &found, on: db)
            return found[key]
        }
    }

    public func history(of key: DataValueKey) async throws -> [DataValueRevision] {
        try await database.read { db in
            try await db.select()
                .columns(
                    "value", "comment", "evidence", "status", "entered_by", "entered_at", "replaced_at", "replaced_by"
                )
                .from("data_value_history")
                .where("indicator_code", .equal, key.indicator).where("unit_code", .equal, key.unit)
                .where("period", .equal, key.period).orderBy("id")
                .all(decoding: DataValueRevision.self, keyDecodingStrategy: .snakeCaseColumns)
        }
    }

    public func list(_ query: ValueQuery) async throws -> [DataValue] {
        if query.approvedOnly, query.indicators.count == 1, query.units.isEmpty, !query.periods.isEmpty {
            let rows = try await approvedRows(of: query.indicators[0], periods: query.periods)
            return Array(rows.dropFirst(query.offset).prefix(query.limit))
        }
        return try await database.read { db in
            var select = db.select().columns(DataValueRow.columns).from("data_values")
            if !query.indicators.isEmpty {
                select = select.where("indicator_code", .in, query.indicators)
            } else if !query.units.isEmpty {
                select = select.where(Self.everyIndicator)
            }
            if !query.units.isEmpty { select = select.where("unit_code", .in, query.units) }
            if !query.periods.isEmpty { select = select.where("period", .in, query.periods) }
            if query.approvedOnly { select = select.where("status", .equal, ValueStatus.approved.rawValue) }
            let values = try await select.orderBy("indicator_code").orderBy("unit_code").orderBy("period")
                .limit(query.limit).offset(query.offset)
                .all().map { try DataValueRow($0).dataValue }
            // Corrections waiting for approval are drafts: shown only where drafts are.
            return query.approvedOnly ? values : try await PendingCorrections.attach(to: values, on: db)
        }
    }

    /// The approved values of one indicator in `periods`, every unit's, in the order `list` gives:
    /// a public slice, as the open-data API serves it. Kept under the figure versions of its periods
    /// (any write that changes an approved value bumps its slice's, `FigureVersions`), so never
    /// stale; a slice of more than `keptRowsLimit` values is read each time.
    func approvedRows(of indicator: String, periods: [String]) async throws -> [DataValue] {
        try await database.read { db in
            let versions = try await FigureVersions.read(indicator, periods: periods, on: db)
            let key = KeptRows(indicator: indicator, periods: periods.map { [$0: versions[$0] ?? 0] })
            if let kept = keptRows[key] { return kept }
            let rows = try await db.select().columns(DataValueRow.columns).from("data_values")
                .where("indicator_code", .equal, indicator).where("period", .in, periods)
                .where("status", .equal, ValueStatus.approved.rawValue)
                .orderBy("indicator_code").orderBy("unit_code").orderBy("period")
                .all().map { try DataValueRow($0).dataValue }
            if rows.count <= Self.keptRowsLimit { keptRows.keep(rows, for: key) }
            return rows
        }
    }

    /// The most values a kept public slice holds (two months of every commune is about 6,500).
    static let keptRowsLimit = 20_000

    public func firstReported(unit: String, periods: [String]) async throws -> [DataValueKey: String] {
        try await database.read { db in
            let rows = try await db.select().columns("indicator_code", "period", "first_reported_at")
                .from("data_values").where(Self.everyIndicator).where("unit_code", .equal, unit)
                .where("period", .in, periods).all()
            var found: [DataValueKey: String] = [:]
            for row in rows {
                let key = DataValueKey(
                    indicator: try row.decode(column: "indicator_code", as: String.self), unit: unit,
                    period: try row.decode(column: "period", as: String.self))
                found[key] = try row.decode(column: "first_reported_at", as: String.self)
            }
            return found
        }
    }

    public func rollup(indicator: String, unit: String, period: String) async throws -> RollupTotals? {
        try await database.read { db in
            guard
                let row = try await db.select()
                    .columns("value_sum", "value_count", "weighted_sum", "weight_sum").from("rollup_totals")
                    .where("indicator_code", .equal, indicator).where("unit_code", .equal, unit)
                    .where("period", .equal, period).first()
            else { return nil }
            let totals = try Self.totals(row)
            return totals.count > 0 ? totals : nil
        }
    }
}

extension SQLIndicatorRepository {
    static func loadRules(on db: any SQLDatabase) async throws -> [ValidationRule] {
        try await db.select().columns(ruleColumns).from("validation_rules").orderBy("code")
            .all(decoding: RuleRow.self, keyDecodingStrategy: .snakeCaseColumns).compactMap(\.rule)
    }
}
