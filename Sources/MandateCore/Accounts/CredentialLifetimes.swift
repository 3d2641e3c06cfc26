import Foundation

/// How long a session and an API token live: the one rule sign-in, every request and the cookie
/// follow (ASVS 5 V7.3: an absolute and an inactivity lifetime; tokens that expire).
public enum CredentialLifetimes {
    /// A session ends this long after sign-in, whatever its use.
    public static let sessionAbsolute: TimeInterval = 12 * 3600
    /// A session ends after this long without a request. Long enough for a commune official to
    /// fill in a long form on a slow connection; short enough that a shared computer left signed
    /// in closes by itself.
    public static let sessionIdle: TimeInterval = 60 * 60
    /// A session's last use is written at most this often (a write per request would cost more
    /// than the request).
    public static let touchInterval: TimeInterval = 60

    /// Days an API token lives unless its owner asks otherwise.
    public static let tokenDefaultDays = 90
    public static let tokenDays = 1...365

    /// When a token created at `now` for `days` (default `tokenDefaultDays`) expires.
    public static func tokenExpiry(now: Date, days: Int?) throws(ValidationFailure) -> Date {
        let days = days ?? tokenDefaultDays
        guard tokenDays.contains(days) else {
            throw ValidationFailure(
                field: "expiresInDays",
                reason: "a token lives \(tokenDays.lowerBound) to \(tokenDays.upperBound) days, not \(days)")
        }
        return now.addingTimeInterval(TimeInterval(days) * 86_400)
    }
}
