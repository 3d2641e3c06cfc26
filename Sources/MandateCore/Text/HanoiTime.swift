/// Instants as people in Việt Nam read them: Hà Nội time (UTC+7, no daylight saving), to the
/// minute, in the language's order ("09:15 ngày 07/12/2026", "7 Dec 2026, 09:15"). The exact
/// instant stays in the page for machines (`<time datetime>`).
public enum HanoiTime {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// An ISO 8601 UTC instant (`2026-12-07T02:15:00Z`, fractions allowed) in Hà Nội time; the
    /// text as it is when it is not one.
    public static func text(_ instant: String, _ language: Language) -> String {
        guard let (date, local, minute) = parts(instant) else { return instant }
        let clock = two(local) + ":" + two(minute)
        switch language {
        case .vi: return "\(clock) ngày \(two(date.day))/\(two(date.month))/\(date.year)"
        case .en: return "\(date.day) \(months[date.month - 1]) \(date.year), \(clock)"
        }
    }

    /// The day in Hà Nội of an ISO 8601 UTC instant; nil when the text is not one.
    public static func day(of instant: String) -> CivilDate? {
        parts(instant)?.day
    }

    /// The Hà Nội day, hour and minute of a UTC instant.
    private static func parts(_ instant: String) -> (day: CivilDate, hour: Int, minute: Int)? {
        let bytes = Array(instant.utf8)
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T"), let day = CivilDate(iso: instant),
            let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
            let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        let local = hour + 7
        return (local >= 24 ? day.adding(days: 1) : day, local % 24, minute)
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
