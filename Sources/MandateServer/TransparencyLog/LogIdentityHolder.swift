import MandateStore

/// Hands out the log identity once the database is prepared (migrations run at server start,
/// after the routes and services are built); callers before then wait.
public actor LogIdentityHolder {
    private var identity: LogIdentity?
    private var waiters: [CheckedContinuation<LogIdentity, Never>] = []

    /// A holder of `identity`, or of none until `load`.
    public init(_ identity: LogIdentity? = nil) {
        self.identity = identity
    }

    /// Reads or creates the identity in the settings, and hands it to those waiting.
    public func load(settings: any SettingsRepository, origin: String?) async throws {
        let loaded = try await LogIdentity.loadOrCreate(settings: settings, origin: origin)
        identity = loaded
        for waiter in waiters { waiter.resume(returning: loaded) }
        waiters.removeAll()
    }

    /// The identity, once loaded.
    public func current() async -> LogIdentity {
        if let identity { return identity }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
