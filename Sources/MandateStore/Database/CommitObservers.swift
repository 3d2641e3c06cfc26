import MandateCore
import Synchronization

/// Called, in order of registration, right after each transaction commits (before the writer
/// gets its result) with what it changed of what the public reads (`ChangeRecorder`), and when
/// another instance announces a commit of its own: a copy of public data kept in memory (the
/// server's edge and response caches) drops what the commit may have changed the moment it is
/// committed, so that whoever wrote, and anyone after, reads the new data. A commit that changed
/// nothing public is not announced.
///
/// Observers run on the committing task and must be quick; they must not use the database.
public final class CommitObservers: Sendable {
    private let observers = Mutex<[@Sendable (ChangeTags) -> Void]>([])

    public init() {}

    public func add(_ observer: @escaping @Sendable (ChangeTags) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func notify(_ changes: ChangeTags) {
        guard !changes.isNothingPublic else { return }
        for observer in observers.withLock({ $0 }) { observer(changes) }
    }
}
