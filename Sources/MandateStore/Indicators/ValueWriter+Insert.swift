import MandateCore
import SQLKit

extension ValueWriter {
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
            let deltas = try await rollupDeltas(changes)
            try await Self.add(deltas, on: db)
            try await Self.noteFigures(of: changes, deltas: deltas, on: db)
            try await publish(changes, at: submitter.at)
        }
        return stored.map { values[$0] }
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
}
