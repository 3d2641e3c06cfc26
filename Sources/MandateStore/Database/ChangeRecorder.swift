import MandateCore
import Synchronization

/// What the transaction under way changes of what the public reads, as its writes note it
/// (`note`); both databases' `transaction` set one for the work and hand what it holds to their
/// `CommitObservers` once committed.
///
/// A transaction whose writes noted nothing changed `everything`, so a write path that says
/// nothing can never leave a stale copy anywhere; one that appended an announced fact to the
/// transparency log (`PublishedFact.Kind.isAnnounced`) changed the log as well, whatever it noted.
public final class ChangeRecorder: Sendable {
    @TaskLocal static var current: ChangeRecorder?

    private let noted = Mutex<ChangeTags?>(nil)

    /// Notes that the transaction under way changes `tags` (nothing outside a transaction).
    public static func note(_ tags: ChangeTags) {
        current?.add(tags)
    }

    /// Whether what the transaction under way has noted is already `everything` (or there is no
    /// transaction): a caller that would work out what it changes row by row need not.
    static var holdsEverything: Bool {
        guard let current else { return true }
        return current.noted.withLock { $0?.tags.contains(.everything) ?? false }
    }

    private func add(_ tags: ChangeTags) {
        noted.withLock { noted in
            if noted == nil { noted = tags } else { noted?.formUnion(tags) }
        }
    }

    /// Runs a transaction's work with a fresh recorder and log-append marker; returns its result
    /// and what it changed.
    static func tracking<T: Sendable>(
        _ work: () async throws -> T
    ) async throws -> (result: T, changes: ChangeTags, appended: Bool) {
        let recorder = ChangeRecorder()
        let (result, appended, announced) = try await $current.withValue(recorder) {
            try await LogAppendMarker.tracking { try await work() }
        }
        var changes = recorder.noted.withLock { $0 } ?? .everything
        // The pages that list facts depend on `.log`; a rating's leaf lists on none of them (the
        // transparency page's newest facts are the signed tree's, which `.checkpoint` marks).
        if announced { changes.formUnion([.log]) }
        return (result, changes, appended)
    }
}
