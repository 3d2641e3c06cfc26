import MandateCore
import SQLKit

extension ValueWriter {
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
        try await Self.noteFigures(of: changes, deltas: deltas, on: db)
        try await publish(changes, at: at)
    }

    /// Every value that becomes public here (newly approved, or approved with a new content)
    /// enters the transparency log in this same transaction.
    func publish(_ changes: [Change], at: String) async throws {
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
}
