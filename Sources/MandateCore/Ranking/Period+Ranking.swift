extension Period {
    /// The period a ranking of this period is compared with when no other is asked for: the one
    /// before it, of the same frequency (2024 for 2025, 2025Q4 for 2026Q1, 202512 for 202601); nil
    /// for the first period of the first year Mandate knows. The server and `mandate rank` both
    /// take it, so that a ranking recomputed offline has the same change and the same digest.
    public var rankingPrevious: Period? {
        if index > 1 { return try? Period(year: year, frequency: frequency, index: index - 1) }
        return try? Period(year: year - 1, frequency: frequency, index: frequency.periodsPerYear)
    }
}
