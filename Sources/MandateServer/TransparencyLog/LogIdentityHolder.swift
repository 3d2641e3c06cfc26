import MandateStore

/// Hands out the log identity once the database is prepared (migrations run at server start,
/// after the routes and services are built); callers before then wait.
actor LogIdentityHolder {
    private var identity: LogIdentity?
    private var waiters: [CheckedContinuation<LogIdentity, Never>] = []

    init(_ identity: LogIdentity? = nil) {
        self.identity = identity
    }

    func load(settings: any SettingsRepository, origin: String?) async throws {
        let loaded = try await LogIdentity.loadOrCreate(settings: settings, origin: origin)
        identity = loaded
        for waiter in waiters { waiter.resume(returning: loaded) }
        waiters.removeAll()
    }

    func current() async -> LogIdentity {
        if let identity { return identity }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
