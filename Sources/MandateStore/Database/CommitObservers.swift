import Synchronization

/// Called, in order of registration, right after each transaction commits (before the writer
/// gets its result), and when another instance announces a commit that appended to the log: a
/// copy of public data kept in memory (the server's edge cache) is dropped the moment the data
/// may have changed, so that whoever wrote, and anyone after, reads the new data.
///
/// Observers run on the committing task and must be quick; they must not use the database.
public final class CommitObservers: Sendable {
    private let observers = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    public func add(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func notify() {
        for observer in observers.withLock({ $0 }) { observer() }
    }
}
