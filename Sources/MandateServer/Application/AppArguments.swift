import Foundation
import Logging
import MandateCore
import MandateStore

/// What the application is built from; the `serve` command and the tests each provide one.
public protocol AppArguments: Sendable {
    var hostname: String { get }
    var port: Int { get }
    var database: DatabaseURL { get }
    /// Load the demo accounts on first start.
    var demo: Bool { get }
    /// Mark cookies Secure even without `X-Forwarded-Proto: https` (for TLS terminated in front).
    var secureCookies: Bool { get }
    /// bcrypt cost for new passwords (at least 10).
    var bcryptCost: UInt8 { get }
    var logLevel: Logger.Level { get }
    /// The transparency log's origin line, used when the log is first created.
    var logOrigin: String? { get }
    /// The clock task statuses and deadlines are judged by.
    var clock: AppClock { get }
    /// How long public reference answers (units, published rankings) may be kept, by this
    /// server and by caches after it, before they are read again; and how long the edge keeps
    /// a public page when no commit drops it first.
    var publicAnswerLifetime: Duration { get }
}

extension AppArguments {
    public var demo: Bool { true }
    public var secureCookies: Bool { false }
    public var bcryptCost: UInt8 { 12 }
    public var logLevel: Logger.Level { .info }
    public var logOrigin: String? { nil }
    public var clock: AppClock { AppClock() }
    public var publicAnswerLifetime: Duration { .seconds(5) }
}

/// The time of day, injectable: tests set it to a fixed instant.
public struct AppClock: Sendable {
    let date: @Sendable () -> Date

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
}
