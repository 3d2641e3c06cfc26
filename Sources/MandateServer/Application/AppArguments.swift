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
    /// How many connections the server holds and how long a client may take (`ConnectionPolicy`).
    var connections: ConnectionPolicy { get }
    /// Addresses of the reverse proxies whose `X-Forwarded-*` headers are believed.
    var trustedProxies: [String] { get }
    /// Client addresses `/metrics` answers without credentials (an administrator's token is
    /// accepted from anywhere).
    var metricsFrom: [String] { get }
    /// How many ratings citizens may send, from one client, for one unit and in all.
    var feedbackLimits: FeedbackLimits { get }
    /// How the catalogue's links are probed; nil: never.
    var linkProbes: LinkProbePolicy? { get }
}

extension AppArguments {
    public var demo: Bool { true }
    public var secureCookies: Bool { false }
    public var bcryptCost: UInt8 { 12 }
    public var logLevel: Logger.Level { .info }
    public var logOrigin: String? { nil }
    public var clock: AppClock { AppClock() }
    public var publicAnswerLifetime: Duration { .seconds(5) }
    public var connections: ConnectionPolicy { .fitting(openFiles: OpenFiles.limit()) }
    public var trustedProxies: [String] { [] }
    public var metricsFrom: [String] { ["127.0.0.1", "::1"] }
    public var feedbackLimits: FeedbackLimits { .standard }
    public var linkProbes: LinkProbePolicy? { LinkProbePolicy() }
}
