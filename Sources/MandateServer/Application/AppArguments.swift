import Logging
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
}

extension AppArguments {
    public var demo: Bool { true }
    public var secureCookies: Bool { false }
    public var bcryptCost: UInt8 { 12 }
    public var logLevel: Logger.Level { .info }
    public var logOrigin: String? { nil }
}
