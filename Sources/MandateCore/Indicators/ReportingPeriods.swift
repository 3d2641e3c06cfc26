/// Which periods a unit's form offers, and which one it opens on: the period now due is the last
/// one that has ended; values are taken for any period that has begun (`ValueChecker`), so the
/// one under way is offered too.
public enum ReportingPeriods {
    /// The period of `frequency` that contains `day`; nil outside `Period.years`.
    public static func containing(_ day: CivilDate, _ frequency: Frequency) -> Period? {
        try? Period(year: day.year, frequency: frequency, index: (day.month - 1) / frequency.months + 1)
    }

    /// The period before `period`, of the same frequency.
    public static func previous(_ period: Period) -> Period? {
        containing(period.start.adding(days: -1), period.frequency)
    }

    /// The period of `frequency` now due on `today`: the last one that has ended.
    public static func due(_ frequency: Frequency, on today: CivilDate) -> Period? {
        containing(today, frequency).flatMap(previous)
    }

    /// The periods of `frequency` a form offers on `today`, newest first: the one under way and
    /// the `count - 1` before it.
    public static func offered(_ frequency: Frequency, on today: CivilDate, count: Int) -> [Period] {
        var periods = containing(today, frequency).map { [$0] } ?? []
        while periods.count < count, let last = periods.last, let before = previous(last) { periods.append(before) }
        return periods
    }

    /// How many periods of each frequency a form offers: two years of months and quarters, three
    /// years of halves and years.
    public static func offeredCount(_ frequency: Frequency) -> Int {
        switch frequency {
        case .monthly: 24
        case .quarterly: 8
        case .semiannual: 6
        case .yearly: 3
        }
    }

    /// The period a unit's form opens on when none is asked for: the one now due of the finest
    /// frequency its indicators are reported at (quarterly when it has none).
    public static func opening(frequencies: Set<Frequency>, on today: CivilDate) -> Period? {
        let finest = Frequency.allCases.first { frequencies.contains($0) } ?? .quarterly
        return due(finest, on: today)
    }
}
