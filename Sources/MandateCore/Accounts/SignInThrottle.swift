import Foundation

/// How failed sign-ins slow the next attempts. Failures are counted under two keys: one account
/// from one client address (guessing a password), and one client address over every account
/// (spraying). Under a key, the first `free` failures cost nothing; after that each attempt must
/// wait after the key's last failure, 1 s, then 2, 4, 8 … up to `longest`. A key's failures are
/// forgotten `forgetAfter` its last one, and a successful sign-in forgets the account's key for
/// that client.
///
/// An account is never locked for everyone: its owner, signing in from another address, meets
/// none of the attacker's failures (ASVS 5, 6.3.1).
public struct SignInThrottle: Sendable, Equatable {
    /// Failures under a key before attempts are slowed.
    public let free: Int
    /// The longest wait.
    public let longest: TimeInterval

    public init(free: Int, longest: TimeInterval) {
        self.free = free
        self.longest = longest
    }

    /// One account from one client address.
    public static let accountFromClient = SignInThrottle(free: 5, longest: 15 * 60)
    /// One client address, whatever the account: an office behind one address signs in often.
    public static let client = SignInThrottle(free: 30, longest: 15 * 60)
    /// Failures older than this are forgotten.
    public static let forgetAfter: TimeInterval = 24 * 3600

    /// How long to wait after the last of `failures` before another attempt: none while they
    /// are free, then doubling from 1 s.
    public func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures >= free else { return 0 }
        let doublings = failures - free
        return doublings >= 20 ? longest : min(longest, Double(1 << doublings))
    }

    /// Whole seconds until an attempt is allowed (at least 1), or nil when it is allowed now.
    public func retryAfter(failures: Int, lastFailure: Date, now: Date) -> Int? {
        guard now.timeIntervalSince(lastFailure) < Self.forgetAfter else { return nil }
        let until = lastFailure.addingTimeInterval(wait(afterFailures: failures))
        guard until > now else { return nil }
        return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
    }

    /// The count after one more failure at `now`: the old ones are forgotten if they are too old.
    public static func failures(after previous: Int, lastFailure: Date?, now: Date) -> Int {
        guard let lastFailure, now.timeIntervalSince(lastFailure) < forgetAfter else { return 1 }
        return previous + 1
    }
}
