import MandateStore

/// Hands out the log identity once the database is prepared (migrations run at server start,
/// after the routes and services are built); callers before then wait.
public actor LogIdentityHolder {
    private var identity: LogIdentity?
    private var waiters: [Int: CheckedContinuation<LogIdentity, any Error>] = [:]
    private var nextWaiter = 0

    /// A holder of `identity`, or of none until `load`.
    public init(_ identity: LogIdentity? = nil) {
        self.identity = identity
    }

    /// Reads or creates the identity in the settings, and hands it to those waiting.
    public func load(settings: any SettingsRepository, origin: String?) async throws {
        let loaded = try await LogIdentity.loadOrCreate(settings: settings, origin: origin)
        identity = loaded
        for waiter in waiters.values { waiter.resume(returning: loaded) }
        waiters.removeAll()
    }

    /// The identity, once loaded. A caller cancelled while it waits (the server stopping because
    /// its start failed, e.g. a migration) gets `CancellationError` instead of waiting for ever.
    public func current() async throws -> LogIdentity {
        if let identity { return identity }
        let waiter = nextWaiter
        nextWaiter += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[waiter] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(waiter) }
        }
    }

    private func cancel(_ waiter: Int) {
        waiters.removeValue(forKey: waiter)?.resume(throwing: CancellationError())
    }
}
