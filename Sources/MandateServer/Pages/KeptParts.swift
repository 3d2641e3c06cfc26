import MandateCore
import MandateStore
import Synchronization

/// Parts of public pages kept between renders, each with what it was made from (`ChangeTags`): a
/// commit drops the parts it may have changed (`ChangeTags.affects`, the edge's rule), and the next
/// render makes those again. The overview is rendered again after every approved value (its
/// national figures and its feed change); its counts, its map and its delivery cards do not, and
/// are not read again for it.
///
/// Another process writing to the same SQLite file is not announced (on PostgreSQL every
/// instance's commits are), so a part also expires after `lifetime`, as the edge's answers do. At
/// most `capacity` parts are held; a full table is emptied.
final class KeptParts: Sendable {
    private struct Kept {
        let value: any Sendable
        let reads: ChangeTags
        let expires: ContinuousClock.Instant
    }

    private struct Table {
        var parts: [String: Kept] = [:]
        var journal = ChangeJournal()
    }

    private let table = Mutex(Table())
    private let lifetime: Duration
    private let capacity: Int

    /// Parts told of every commit to `commits`.
    init(lifetime: Duration = .seconds(5), capacity: Int = 256, commits: CommitObservers? = nil) {
        self.lifetime = lifetime
        self.capacity = capacity
        commits?.add { [weak self] in self?.invalidate($0) }
    }

    /// Drops the parts a commit that changed `changes` may have changed.
    func invalidate(_ changes: ChangeTags) {
        guard !changes.isNothingPublic else { return }
        table.withLock { table in
            table.journal.record(changes)
            if changes.changesEveryAnswer {
                table.parts.removeAll()
            } else {
                table.parts = table.parts.filter { !changes.affects($0.value.reads) }
            }
        }
    }

    /// The part named `key`, made from `reads`: the one kept, or a new one from `make`, kept unless
    /// a commit that may have changed it came while it was made.
    func part<Value: Sendable>(
        _ key: String, reads: ChangeTags, make: () async throws -> Value
    ) async throws -> Value {
        let now = ContinuousClock.now
        let (kept, generation) = table.withLock { table in
            (table.parts[key].flatMap { $0.expires > now ? $0.value as? Value : nil }, table.journal.generation)
        }
        if let kept { return kept }
        let value = try await make()
        table.withLock { table in
            guard !table.journal.changed(reads, after: generation) else { return }
            if table.parts.count >= capacity { table.parts.removeAll() }
            table.parts[key] = Kept(value: value, reads: reads, expires: .now + lifetime)
        }
        return value
    }

    var count: Int {
        table.withLock { $0.parts.count }
    }
}
