/// A reporting period with a DHIS2-style id: `2026` (year), `2026S1` (semester), `2026Q1` (quarter),
/// `202603` (month). Anything else is refused with a reason.
public struct Period: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let frequency: Frequency
    /// 1-based position in the year: the month, quarter or semester number; 1 for a year.
    public let index: Int

    public static let years = 1900...2100
    static let shapes = "expected a year (2026), a semester (2026S1), a quarter (2026Q1) or a month (202603)"

    /// A period by its parts; throws when the index does not fit the frequency.
    public init(year: Int, frequency: Frequency, index: Int = 1) throws(Invalid) {
        guard Self.years.contains(year) else {
            throw Invalid(reason: "the year \(year) is outside \(Self.years.lowerBound)–\(Self.years.upperBound)")
        }
        guard (1...frequency.periodsPerYear).contains(index) else {
            switch frequency {
            case .monthly: throw Invalid(reason: "a month is 01 to 12")
            case .quarterly: throw Invalid(reason: "a quarter is Q1 to Q4")
            case .semiannual: throw Invalid(reason: "a semester is S1 or S2")
            case .yearly: throw Invalid(reason: "a year has no parts")
            }
        }
        self.year = year
        self.frequency = frequency
        self.index = index
    }

    /// Parses a DHIS2-style id.
    public init(_ id: some StringProtocol) throws(Invalid) {
        let text = String(id)
        guard !text.isEmpty else { throw Invalid(reason: "the period is empty; " + Self.shapes) }
        let scalars = Array(text.unicodeScalars)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count,
                scalars[range].allSatisfy({ ("0"..."9").contains($0) })
            else { return nil }
            return Int(String(String.UnicodeScalarView(scalars[range])))
        }
        guard scalars.count >= 4, let year = digits(0..<4) else {
            throw Invalid(reason: "\"\(text)\" does not start with a four-digit year; " + Self.shapes)
        }
        switch scalars.count {
        case 4:
            try self.init(year: year, frequency: .yearly)
        case 6 where scalars[4] == "S" || scalars[4] == "Q":
            guard let index = digits(5..<6) else {
                throw Invalid(reason: "\"\(text)\" has no number after \(scalars[4]); " + Self.shapes)
            }
            try self.init(year: year, frequency: scalars[4] == "S" ? .semiannual : .quarterly, index: index)
        case 6:
            guard let month = digits(4..<6) else {
                throw Invalid(reason: "\"\(text)\" is not a period; " + Self.shapes)
            }
            try self.init(year: year, frequency: .monthly, index: month)
        default:
            throw Invalid(reason: "\"\(text)\" is not a period; " + Self.shapes)
        }
    }

    /// Why a text is not a period.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The id, e.g. `2026Q1`.
    public var id: String {
        switch frequency {
        case .yearly: String(year)
        case .semiannual: "\(year)S\(index)"
        case .quarterly: "\(year)Q\(index)"
        case .monthly: "\(year)\(index < 10 ? "0" : "")\(index)"
        }
    }

    public var description: String { id }

    /// The first month of the period (1–12).
    var firstMonth: Int { (index - 1) * frequency.months + 1 }

    /// The first day of the period.
    public var start: CivilDate {
        CivilDate(dayNumber: CivilDate.firstOf(year: year, month: firstMonth))
    }

    /// The last day of the period (inclusive).
    public var end: CivilDate {
        let lastMonth = firstMonth + frequency.months - 1
        return CivilDate(dayNumber: CivilDate.firstOf(year: year, month: lastMonth))
            .adding(days: CivilDate.days(inMonth: lastMonth, of: year) - 1)
    }

    /// The periods that contain this one, smallest first: a month is in its quarter, its semester and its year.
    public var parents: [Period] {
        let month = firstMonth
        return Frequency.allCases.filter { $0.months > frequency.months }.compactMap { parent in
            try? Period(year: year, frequency: parent, index: (month - 1) / parent.months + 1)
        }
    }

    /// True when this period lies inside `other` (or is it).
    public func isWithin(_ other: Period) -> Bool {
        other.start <= start && end <= other.end
    }

    /// The day a report for this period is due: `days` days after its last day.
    ///
    /// The rule: a period's report is due by the end of the `days`-th day after the period ends; so
    /// with the default of 30, March 2026 is due on 30 April 2026 and 2026Q1 on 30 April 2026.
    public func dueDate(afterDays days: Int) -> CivilDate {
        end.adding(days: days)
    }

    /// The periods of `frequency` in `year`, in order.
    public static func all(of frequency: Frequency, in year: Int) -> [Period] {
        (1...frequency.periodsPerYear).compactMap { try? Period(year: year, frequency: frequency, index: $0) }
    }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.start, lhs.frequency.months) < (rhs.start, rhs.frequency.months)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.reason))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}

extension CivilDate {
    static func firstOf(year: Int, month: Int) -> Int {
        CivilDate(year: year, month: month, day: 1).map(\.dayNumber) ?? 0
    }
}
