import MandateCore
import SQLKit

/// Stores checked values inside one transaction: new rows, corrections with their history, and the
/// roll-up totals of every ancestor, updated by differences so that no batch job is needed.
struct ValueWriter {
    let db: any SQLDatabase
    let indicators: [String: Indicator]
    let units: UnitIndex
    /// Denominator code → the indicators it weighs.
    let weighing: [String: [String]]

    static func prepare(
        on db: any SQLDatabase, definitions: DefinitionCache.Definitions, units: UnitIndex
    ) -> ValueWriter {
        var weighing: [String: [String]] = [:]
        for indicator in definitions.indicators where indicator.rollup.method == .weightedMean {
            if let denominator = indicator.rollup.denominator {
                weighing[denominator, default: []].append(indicator.code)
            }
        }
        return ValueWriter(
            db: db, indicators: definitions.byCode, units: units, weighing: weighing)
    }

    /// A stored value's move from `old` (nil: none yet) to `new`.
    struct Change {
        var old: DataValue?
        var new: DataValue
        /// The content changed, so the old value goes to history (an approval alone keeps none).
        var keepsHistory: Bool
        /// Where `old` had a pending correction, the change ends it: applied (the approval of the
        /// correction), or set aside by this change and kept in history.
        var setsPendingAside = false
    }

    /// A draft correction of an approved value, which waits for approval while the approved value
    /// stays public: `new` takes the place of what was pending (`replaced`, kept in history); a
    /// nil `new` withdraws the correction (the approved value entered again).
    struct CorrectionChange {
        var key: DataValueKey
        var replaced: PendingCorrection?
        var new: PendingCorrection?
    }

    /// What a submission changes: stored values, and corrections waiting beside approved ones.
    struct Changes {
        var values: [Change] = []
        var corrections: [CorrectionChange] = []
    }

    /// What `values` change against the `existing` rows (with their pending corrections);
    /// identical values change nothing.
    ///
    /// A draft for a key whose value is approved is a correction: it waits beside the approved
    /// value, which stays public (and in the roll-ups and rankings) until the unit head approves
    /// the correction. Entering the approved value again withdraws the correction.
    func changes(
        _ values: [CheckedValue], existing: [DataValueKey: DataValue], by submitter: Submitter,
        summary: inout WriteSummary
    ) -> Changes {
        var changes = Changes()
        let approved = submitter.status == .approved
        var lateness = Lateness(writer: self, at: submitter.at)
        for value in values {
            guard let old = existing[value.key] else {
                summary.created += 1
                changes.values.append(
                    Change(old: nil, new: newValue(value, by: submitter, lateness: &lateness), keepsHistory: false))
                continue
            }
            if !approved && old.status == .approved {
                let latest = old.latestEntry
                let comment = value.comment(replacing: latest.comment)
                let evidence = value.evidence(replacing: latest.evidence)
                if latest.value == value.value && latest.comment == comment && latest.evidence == evidence {
                    summary.unchanged += 1
                    continue
                }
                summary.updated += 1
                let withdrawn = old.value == value.value && old.comment == comment && old.evidence == evidence
                changes.corrections.append(
                    CorrectionChange(
                        key: value.key, replaced: old.pending,
                        new: withdrawn
                            ? nil
                            : PendingCorrection(
                                value: value.value, comment: comment, evidence: evidence, enteredBy: submitter.userId,
                                enteredAt: submitter.at)))
                continue
            }
            let comment = value.comment(replacing: old.comment)
            let evidence = value.evidence(replacing: old.evidence)
            let sameContent = old.value == value.value && old.comment == comment && old.evidence == evidence
            if sameContent && !(approved && old.status == .draft) {
                summary.unchanged += 1
                continue
            }
            summary.updated += 1
            var new = old
            if !sameContent {
                new.value = value.value
                new.comment = comment
                new.evidence = evidence
                new.enteredBy = submitter.userId
                new.enteredAt = submitter.at
            }
            new.status = submitter.status
            new.approvedBy = approved ? submitter.userId : nil
            new.approvedAt = approved ? submitter.at : nil
            new.pending = nil
            changes.values.append(
                Change(old: old, new: new, keepsHistory: !sameContent, setsPendingAside: old.pending != nil))
        }
        return changes
    }

    /// A value stored for the first time.
    func newValue(_ value: CheckedValue, by submitter: Submitter, lateness: inout Lateness) -> DataValue {
        newValue(value, by: submitter, late: lateness.isLate(value.key))
    }

    func newValue(_ value: CheckedValue, by submitter: Submitter, late: Bool) -> DataValue {
        let approved = submitter.status == .approved
        return DataValue(
            indicator: value.key.indicator, unit: value.key.unit, period: value.key.period, value: value.value,
            comment: value.comment(replacing: nil), evidence: value.evidence(replacing: nil), status: submitter.status,
            enteredBy: submitter.userId,
            enteredAt: submitter.at, firstReportedAt: submitter.at, late: late,
            approvedBy: approved ? submitter.userId : nil, approvedAt: approved ? submitter.at : nil)
    }

    /// Whether a first report at one instant comes after each period's due date, worked out once per
    /// indicator and period.
    struct Lateness {
        let writer: ValueWriter
        let day: CivilDate?
        var known: [String: [String: Bool]] = [:]
        /// Files list many values of one indicator and period in a row.
        var last: (indicator: String, period: String, late: Bool)?

        init(writer: ValueWriter, at: String) {
            self.writer = writer
            self.day = CivilDate(iso: at)
        }

        mutating func isLate(_ key: DataValueKey) -> Bool {
            if let last, last.indicator == key.indicator, last.period == key.period { return last.late }
            let late = known[key.indicator]?[key.period] ?? work(key)
            last = (key.indicator, key.period, late)
            return late
        }

        private mutating func work(_ key: DataValueKey) -> Bool {
            var late = false
            if let indicator = writer.indicators[key.indicator], let period = try? Period(key.period), let day {
                late = day > period.dueDate(afterDays: indicator.dueDays)
            }
            known[key.indicator, default: [:]][key.period] = late
            return late
        }
    }

    /// Checked values about to be stored, with what their insert needs worked out beforehand, on
    /// the checking side, so that the storing side only stores.
    struct NewRows: Sendable {
        let values: [CheckedValue]
        /// Whether each value came late.
        let late: [Bool]
        /// The positions in key order: rows inserted in key order land next to each other in the
        /// key's index, which saves SQLite about a quarter of its work.
        let order: [Int]
    }

    /// The rows `values` would be as first reported at `at`.
    func newRows(_ values: [CheckedValue], at: String) -> NewRows {
        var lateness = Lateness(writer: self, at: at)
        return NewRows(
            values: values, late: values.map { lateness.isLate($0.key) },
            order: values.indices.sorted { values[$0].key < values[$1].key })
    }

    /// Stores as new rows, in one pass that reads nothing first, those values whose key is not
    /// stored yet; returns the others, in order, for the caller to compare with what is stored.
    func insertNew(_ rows: NewRows, by submitter: Submitter) async throws -> [CheckedValue] {
        let values = rows.values
        let stored: [Int]
        if let handle = (db as? SQLiteSession)?.handle {
            stored = try await NewValueRows.insert(
                values, late: rows.late, order: rows.order, shared: NewValueRows.Shared(submitter),
                skippingStored: true, handle: handle)
        } else {
            stored = try await insertBound(
                zip(values, rows.late).map { newValue($0, by: submitter, late: $1) }, skippingStored: true)
        }
        // A draft moves no roll-up total and publishes nothing, so only approved rows are needed as
        // changes. The stored rows their totals are read against are those of other keys: the
        // values left over are still as they were, and are compared (and counted) by the caller.
        if submitter.status == .approved {
            var isStored = [Bool](repeating: false, count: values.count)
            for position in stored { isStored[position] = true }
            let changes = values.indices.filter { !isStored[$0] }.map {
                Change(old: nil, new: newValue(values[$0], by: submitter, late: rows.late[$0]), keepsHistory: false)
            }
            try await Self.add(try await rollupDeltas(changes), on: db)
            try await publish(changes, at: submitter.at)
        }
        return stored.map { values[$0] }
    }

    /// Writes the changes and the roll-up differences they cause.
    func apply(_ changes: Changes, replacedBy: String?, at: String) async throws {
        try await apply(changes.values, replacedBy: replacedBy, at: at)
        try await apply(changes.corrections, replacedBy: replacedBy, at: at)
    }

    /// Stores the corrections waiting for approval: what each replaces goes to history (as the
    /// draft it was). They move no roll-up and publish nothing.
    func apply(_ corrections: [CorrectionChange], replacedBy: String?, at: String) async throws {
        guard !corrections.isEmpty else { return }
        try await keepInHistory(
            corrections.compactMap { change in change.replaced.map { Replaced(change.key, $0) } },
            replacedBy: replacedBy, at: at)
        for change in corrections {
            if let new = change.new {
                try await PendingCorrections.store(new, for: change.key, on: db)
            } else {
                try await PendingCorrections.delete(change.key, on: db)
            }
        }
    }

    /// What a history row keeps of a value it replaced.
    struct Replaced {
        var key: DataValueKey
        var value: Double
        var comment: String?
        var evidence: String?
        var status: ValueStatus
        var enteredBy: String?
        var enteredAt: String

        init(_ old: DataValue) {
            (key, value, comment, evidence) = (old.key, old.value, old.comment, old.evidence)
            (status, enteredBy, enteredAt) = (old.status, old.enteredBy, old.enteredAt)
        }

        /// A correction set aside before approval: the draft it was.
        init(_ key: DataValueKey, _ correction: PendingCorrection) {
            (self.key, value, comment, evidence) = (key, correction.value, correction.comment, correction.evidence)
            (status, enteredBy, enteredAt) = (.draft, correction.enteredBy, correction.enteredAt)
        }
    }

    /// History rows for values replaced at `at`.
    func keepInHistory(_ replaced: [Replaced], replacedBy: String?, at: String) async throws {
        for batch in replaced.chunked(into: 2000) {
            var insert = db.insert(into: "data_value_history").columns(
                "indicator_code", "unit_code", "period", "value", "comment", "evidence", "status", "entered_by",
                "entered_at", "replaced_at", "replaced_by")
            for old in batch {
                insert = insert.values(
                    [
                        old.key.indicator, old.key.unit, old.key.period, old.value, old.comment, old.evidence,
                        old.status.rawValue, old.enteredBy, old.enteredAt, at, replacedBy,
                    ] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }

    /// Writes the changes of stored values and the roll-up differences they cause.
    func apply(_ changes: [Change], replacedBy: String?, at: String) async throws {
        guard !changes.isEmpty else { return }
        // Roll-up differences are read against the rows as they were, so they are computed first.
        let deltas = try await rollupDeltas(changes)
        try await insert(changes.filter { $0.old == nil }.map(\.new))
        // Corrections set aside first, then the values replaced: history in the order things happened.
        let setAside = changes.compactMap { change -> Replaced? in
            guard change.setsPendingAside, let old = change.old, let pending = old.pending else { return nil }
            return Replaced(old.key, pending)
        }
        try await keepInHistory(
            setAside + changes.filter(\.keepsHistory).compactMap { $0.old.map(Replaced.init) }, replacedBy: replacedBy,
            at: at)
        for change in changes where change.old?.pending != nil {
            try await PendingCorrections.delete(change.new.key, on: db)
        }
        for change in changes where change.old != nil {
            let new = change.new
            try await db.update("data_values")
                .set("value", to: new.value).set("comment", to: new.comment).set("evidence", to: new.evidence)
                .set("status", to: new.status.rawValue).set("entered_by", to: new.enteredBy)
                .set("entered_at", to: new.enteredAt).set("approved_by", to: new.approvedBy)
                .set("approved_at", to: new.approvedAt)
                .where("indicator_code", .equal, new.indicator).where("unit_code", .equal, new.unit)
                .where("period", .equal, new.period)
                .run()
        }
        try await Self.add(deltas, on: db)
        try await publish(changes, at: at)
    }

    /// Inserts new rows, none of which may be stored already.
    func insert(_ values: [DataValue]) async throws {
        guard !values.isEmpty else { return }
        guard let handle = (db as? SQLiteSession)?.handle else {
            _ = try await insertBound(values, skippingStored: false)
            return
        }
        // The rows of one submission share who and when; each run of such rows is one call.
        var start = values.startIndex
        while start < values.endIndex {
            let shared = NewValueRows.Shared(values[start])
            let end = values[start...].firstIndex { !shared.matches($0) } ?? values.endIndex
            let run = values[start..<end]
            _ = try await NewValueRows.insert(
                run.map { CheckedValue(key: $0.key, value: $0.value, comment: $0.comment, evidence: $0.evidence) },
                late: run.map(\.late), order: Array(0..<run.count), shared: shared,
                skippingStored: false, handle: handle)
            start = end
        }
    }

    /// Inserts rows through bound statements (PostgreSQL); with `skippingStored`, a row whose key is
    /// stored already is left out instead of failing the statement. Returns the positions of the
    /// rows left out.
    func insertBound(_ values: [DataValue], skippingStored: Bool) async throws -> [Int] {
        var left: [Int] = []
        for (offset, batch) in values.chunked(into: 2000).enumerated() {
            var insert = db.insert(into: "data_values").columns(DataValueRow.columns)
            for value in batch {
                insert = insert.values(
                    [
                        value.indicator, value.unit, value.period, value.value, value.comment, value.evidence,
                        value.status.rawValue, value.enteredBy, value.enteredAt, value.firstReportedAt, value.late,
                        value.approvedBy, value.approvedAt,
                    ] as [any Encodable & Sendable])
            }
            guard skippingStored else {
                try await insert.run()
                continue
            }
            let rows = try await insert.ignoringConflicts(with: ["indicator_code", "unit_code", "period"])
                .returning("indicator_code", "unit_code", "period").all()
            guard rows.count < batch.count else { continue }
            var inserted = Set<DataValueKey>()
            for row in rows {
                inserted.insert(
                    DataValueKey(
                        indicator: try row.decode(column: "indicator_code", as: String.self),
                        unit: try row.decode(column: "unit_code", as: String.self),
                        period: try row.decode(column: "period", as: String.self)))
            }
            for (position, value) in batch.enumerated() where !inserted.contains(value.key) {
                left.append(offset * 2000 + position)
            }
        }
        return left
    }

    /// Every value that becomes public here (newly approved, or approved with a new content)
    /// enters the transparency log in this same transaction.
    private func publish(_ changes: [Change], at: String) async throws {
        var facts: [PublishedFact] = []
        for change in changes where change.new.status == .approved {
            if let old = change.old, old.status == .approved, old.value == change.new.value,
                old.evidence == change.new.evidence
            {
                continue
            }
            let illustrative = indicators[change.new.indicator]?.illustrative ?? false
            facts.append(try change.new.publishedFact(illustrative: illustrative))
        }
        _ = try await SQLTransparencyLog.append(facts, at: at, in: db)
    }

    struct TotalsKey: Hashable {
        var indicator: String
        var unit: String
        var period: String
    }

    /// For each unit and period a change touches, the totals of every indicator whose share may move
    /// (the changed one, and those it weighs), after minus before, added to each ancestor.
    func rollupDeltas(_ changes: [Change]) async throws -> [TotalsKey: RollupTotals] {
        struct Cell: Hashable {
            var unit: String
            var period: String
        }
        // Only approved values count: drafts before and after move no total.
        guard changes.contains(where: { $0.new.status == .approved || $0.old?.status == .approved }) else {
            return [:]
        }
        var changed: [DataValueKey: Change] = [:]
        var affected: [Cell: Set<String>] = [:]
        for change in changes {
            let key = change.new.key
            changed[key] = change
            guard change.new.status == .approved || change.old?.status == .approved else { continue }
            let cell = Cell(unit: key.unit, period: key.period)
            for code in [key.indicator] + (weighing[key.indicator] ?? []) where rollsUp(code, from: key.unit) {
                affected[cell, default: []].insert(code)
            }
        }
        guard !affected.isEmpty else { return [:] }
        var others: [DataValueKey] = []
        for (cell, codes) in affected {
            for code in codes {
                for needed in [code] + (indicators[code]?.rollup.denominator.map { [$0] } ?? []) {
                    let key = DataValueKey(indicator: needed, unit: cell.unit, period: cell.period)
                    if changed[key] == nil { others.append(key) }
                }
            }
        }
        let stored = others.isEmpty ? [:] : try await DataValueRow.fetch(Array(Set(others)), on: db)
        func approvedValue(_ key: DataValueKey, after: Bool) -> Double? {
            let value = changed[key].map { after ? $0.new : $0.old } ?? stored[key]
            guard let value, value.status == .approved else { return nil }
            return value.value
        }
        var deltas: [TotalsKey: RollupTotals] = [:]
        for (cell, codes) in affected {
            let ancestors = units.ancestors(of: cell.unit)
            for code in codes {
                let denominator = indicators[code]?.rollup.denominator
                func share(after: Bool) -> RollupTotals {
                    let key = DataValueKey(indicator: code, unit: cell.unit, period: cell.period)
                    guard let value = approvedValue(key, after: after) else { return .zero }
                    let weight = denominator.flatMap {
                        approvedValue(DataValueKey(indicator: $0, unit: cell.unit, period: cell.period), after: after)
                    }
                    return RollupTotals(value: value, weight: weight)
                }
                let delta = share(after: true) - share(after: false)
                if delta.isZero { continue }
                for ancestor in ancestors {
                    deltas[TotalsKey(indicator: code, unit: ancestor, period: cell.period), default: .zero] += delta
                }
            }
        }
        return deltas
    }

    /// Whether the values of `unit` for indicator `code` count in its ancestors' roll-ups. A former
    /// unit's do not: today's units cover its ground, and its series goes on in its successor's
    /// (lineage), so counting both would count the same place twice.
    func rollsUp(_ code: String, from unit: String) -> Bool {
        guard let indicator = indicators[code], indicator.rollup.method != .none, let kind = units.kinds[unit],
            units.former[unit] == nil
        else {
            return false
        }
        return indicator.rollupKinds.contains(kind)
    }

    /// Adds differences to the stored totals (creating the rows that do not exist yet).
    static func add(_ deltas: [TotalsKey: RollupTotals], on db: any SQLDatabase) async throws {
        let entries = Array(deltas)
        for batch in entries.chunked(into: 2000) {
            var insert = db.insert(into: "rollup_totals").columns(
                "indicator_code", "unit_code", "period", "value_sum", "value_count", "weighted_sum", "weight_sum")
            for (key, totals) in batch {
                insert = insert.values(
                    [key.indicator, key.unit, key.period, totals.sum, totals.count, totals.weightedSum, totals.weight]
                        as [any Encodable & Sendable])
            }
            try await insert.onConflict(with: ["indicator_code", "unit_code", "period"]) { update in
                var update = update
                for column in ["value_sum", "value_count", "weighted_sum", "weight_sum"] {
                    update = update.set(
                        SQLIdentifier(column), to: SQLRaw("rollup_totals.\(column) + excluded.\(column)"))
                }
                return update
            }.run()
        }
    }
}
