/// Which periods a unit reports: while it exists. A former unit (a province before the merger of
/// 1 July 2025) reports, and owes, only the periods that begin before the day it ceased; what comes
/// after is reported under the unit that took it over. The one rule behind refusing a former
/// unit's value and counting the reports it owes.
public enum ReportingSpan {
    /// Whether a unit that ceased on `ceased` (nil: it has not ceased) reports `period`.
    ///
    /// With the merger on 1 July 2025: 2025Q2 (1 April–30 June) and the year 2025 (which begins on
    /// 1 January) are the former province's; 2025Q3, 202507 and 2026 are not.
    public static func reports(_ period: Period, ceased: CivilDate?) -> Bool {
        guard let ceased else { return true }
        return period.start < ceased
    }

    /// The day a unit ceased: for a unit no longer active, the earliest day a successor took it
    /// over (`takenOver`, the links' effective days); nil for an active unit, or a former one that
    /// names no successor (whose ceasing day is unknown).
    public static func ceased(active: Bool, takenOver: [CivilDate]) -> CivilDate? {
        active ? nil : takenOver.min()
    }
}
