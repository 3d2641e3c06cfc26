import Foundation

/// The one source of "now": every stored instant and every "today" a rule is judged on comes from
/// the clock the application (or a command) was built with, so that any path can be tested at a
/// fixed date.
public struct AppClock: Sendable {
    public let date: @Sendable () -> Date

    public init(_ date: @escaping @Sendable () -> Date = { Date() }) {
        self.date = date
    }

    /// A clock stopped at `timestamp` (ISO-8601).
    public static func fixed(_ timestamp: String) -> AppClock {
        let date = Timestamp.date(timestamp) ?? Date()
        return AppClock { date }
    }

    /// Now, as stored timestamps are written.
    public func now() -> String { Timestamp.string(date()) }

    /// Today (UTC): the day deadlines are judged on.
    public func today() -> CivilDate { CivilDate(iso: now()) ?? CivilDate(dayNumber: 0) }

    /// The day it is in Hà Nội: what a date typed by an official is judged against ("not after
    /// today"), as a value's reporting day is.
    public func todayInHanoi() -> CivilDate { CivilDate.inHanoi(atUTC: now()) ?? today() }
}
