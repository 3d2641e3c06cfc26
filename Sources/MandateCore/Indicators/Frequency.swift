/// How often an indicator is reported; also the type of a period.
public enum Frequency: String, Codable, Sendable, CaseIterable, ListedValues {
    case monthly
    case quarterly
    /// Twice a year: DHIS2's "six-monthly" (`2026S1`, `2026S2`).
    case semiannual
    case yearly

    /// Months in one period of this frequency.
    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .semiannual: 6
        case .yearly: 12
        }
    }

    /// Periods of this frequency in a year.
    public var periodsPerYear: Int { 12 / months }
}
