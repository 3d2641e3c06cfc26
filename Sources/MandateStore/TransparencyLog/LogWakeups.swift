import Synchronization

/// Tells whoever waits that new leaves were committed to the transparency log, so that live
/// events go out as soon as a fact is published rather than at the next poll.
///
/// A transaction that appended to the log signals its database's wakeups once it has committed.
/// On PostgreSQL the transaction also announces its commit on `mandate_log`, which every other
/// instance relays to its own wakeups (`PostgresStoreDatabase.relayLogNotifications()`).
public final class LogWakeups: Sendable {
    private let waiters = Mutex<(next: UInt64, continuations: [UInt64: AsyncStream<Void>.Continuation])>((0, [:]))

    public init() {}

    /// A stream that yields after each commit that appended to the log; signals that come while
    /// the reader is busy collapse into one.
    public func updates() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = waiters.withLock { state in
            let id = state.next
            state.next += 1
            state.continuations[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.waiters.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every reader.
    public func signal() {
        for continuation in waiters.withLock({ Array($0.continuations.values) }) { continuation.yield() }
    }
}

/// Marks the transaction under way as one that appended to the log; its database signals its
/// `LogWakeups` after the commit (never before: a reader woken early would find nothing new).
final class LogAppendMarker: Sendable {
    @TaskLocal static var current: LogAppendMarker?

    private let appended = Atomic<Bool>(false)
    private let announced = Atomic<Bool>(false)

    /// Marks an append; `announced` when one of its facts is (`PublishedFact.Kind.isAnnounced`).
    func mark(announced isAnnounced: Bool) {
        appended.store(true, ordering: .relaxed)
        if isAnnounced { announced.store(true, ordering: .relaxed) }
    }

    var isMarked: Bool { appended.load(ordering: .relaxed) }
    var isAnnounced: Bool { announced.load(ordering: .relaxed) }

    /// Runs a transaction's work with a fresh marker; returns its result, whether it appended, and
    /// whether it appended an announced fact.
    static func tracking<T: Sendable>(
        _ work: () async throws -> T
    ) async throws -> (result: T, appended: Bool, announced: Bool) {
        let marker = LogAppendMarker()
        let result = try await $current.withValue(marker) { try await work() }
        return (result, marker.isMarked, marker.isAnnounced)
    }
}
