import Foundation

/// Instants as ISO-8601 UTC text with milliseconds, e.g. `2026-03-31T09:30:00.000Z`; such text sorts in time order.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func string(_ date: Date) -> String {
        date.formatted(style)
    }

    public static func date(_ text: String) -> Date? {
        try? style.parse(text)
    }

    private static let wholeSeconds = Date.ISO8601FormatStyle()

    /// A time as another system writes it: ISO 8601 with a `Z` or an offset, with or without
    /// fractional seconds.
    public static func instant(_ text: String) -> Date? {
        date(text) ?? (try? wholeSeconds.parse(text))
    }
}
