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

        /// Records what `step` writes for the stored `old`, done by `userId` at `at`, and returns
        /// the key's value as it then stands.
        @discardableResult
        mutating func add(_ step: ValueLifecycle.Step, to old: DataValue, by userId: String?, at: String) -> DataValue {
            var new = old
            new.pending = nil
            func approve() {
                new.status = .approved
                new.approvedBy = userId
                new.approvedAt = at
            }
            switch step {
            case .unchanged, .created:
                return old
            case .replaced(let content, let status, let setsCorrectionAside):
                (new.value, new.comment, new.evidence) = (content.value, content.comment, content.evidence)
                (new.enteredBy, new.enteredAt) = (userId, at)
                if status == .approved {
                    approve()
                } else {
                    (new.status, new.approvedBy, new.approvedAt) = (.draft, nil, nil)
                }
                values.append(Change(old: old, new: new, keepsHistory: true, setsPendingAside: setsCorrectionAside))
            case .approved:
                approve()
                values.append(Change(old: old, new: new, keepsHistory: false))
            case .correctionApproved:
                guard let correction = old.pending else { return old }
                (new.value, new.comment, new.evidence) = (correction.value, correction.comment, correction.evidence)
                (new.enteredBy, new.enteredAt) = (correction.enteredBy, correction.enteredAt)
                approve()
                values.append(Change(old: old, new: new, keepsHistory: true))
            case .correctionWaits(let content, _):
                new = old
                new.pending = PendingCorrection(
                    value: content.value, comment: content.comment, evidence: content.evidence, enteredBy: userId,
                    enteredAt: at)
                corrections.append(CorrectionChange(key: old.key, replaced: old.pending, new: new.pending))
            case .correctionWithdrawn:
                corrections.append(CorrectionChange(key: old.key, replaced: old.pending, new: nil))
            }
            return new
        }
    }

    /// What `values` change against the `existing` rows (with their pending corrections), each as
    /// `ValueLifecycle.step` says; identical values change nothing.
    func changes(
        _ values: [CheckedValue], existing: [DataValueKey: DataValue], by submitter: Submitter,
        summary: inout WriteSummary
    ) -> Changes {
        var changes = Changes()
        let approved = submitter.status == .approved
        var lateness = Lateness(writer: self, at: submitter.at)
        for value in values {
            let old = existing[value.key]
            let step = ValueLifecycle.step(ValueLifecycle.Stored(old), .entry(value, approved: approved))
            switch (step, old) {
            case (.unchanged, _):
                summary.unchanged += 1
            case (.created, _), (_, nil):
                summary.created += 1
                changes.values.append(
                    Change(old: nil, new: newValue(value, by: submitter, lateness: &lateness), keepsHistory: false))
            case (_, let old?):
                summary.updated += 1
                changes.add(step, to: old, by: submitter.userId, at: submitter.at)
            }
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

    /// Whether a first report at one instant is late, by the timeliness rule (`Timeliness.of`),
    /// worked out once per indicator and period: a file holds many values of each.
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
                late = Timeliness.of(period: period, dueDays: indicator.dueDays, reportedOn: day) == .late
            }
            known[key.indicator, default: [:]][key.period] = late
            return late
        }
    }
}
