/// Which periods a ranking may be drafted or published for.
public enum RankedPeriods {
    /// Refuses a period that has not begun on `today`, and a previous period that does not begin
    /// before the period ranked. A period not yet begun has no values of its own indicators, so its
    /// ranking would rest on the few sources that already have some (task delivery, say).
    public static func check(_ period: Period, previous: Period?, today: CivilDate) throws(ValidationFailure) {
        var problems: [RowError] = []
        if period.start > today {
            problems.append(
                RowError(
                    line: nil, column: "period",
                    reason: "\(period) has not begun: it begins on \(period.start), after today (\(today))"))
        }
        if let previous, previous.start >= period.start {
            problems.append(
                RowError(
                    line: nil, column: "previousPeriod",
                    reason: "the period compared with begins before the period ranked; \(previous) does not "
                        + "begin before \(period)"))
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
    }
}
