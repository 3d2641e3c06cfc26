import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore
import Synchronization

/// Keeps encoded public responses for a few seconds, with an ETag, and answers conditional
/// requests with 304. Each entry holds what it was made from, and a commit that may have changed
/// it drops it (`CommitObservers`); several instances may each hold a copy, and another process's
/// writes on the same SQLite file are not announced, so entries also expire.
///
/// Every public read goes through here, so the table is behind a lock rather than in an actor:
/// a hit must not cost a task switch.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let body: ByteBuffer
        let etag: String
        let stored: ContinuousClock.Instant
        let expires: ContinuousClock.Instant
        let reads: ChangeTags
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        var journal = ChangeJournal()
    }

    private let table = Mutex(Table())
    private let lifetime: Duration
    private let capacity = 2048

    /// A cache told of every commit to `commits`.
    init(lifetime: Duration = .seconds(5), commits: CommitObservers? = nil) {
        self.lifetime = lifetime
        commits?.add { [weak self] in self?.invalidate($0) }
    }

    /// Drops the entries a commit that changed `changes` may have changed.
    func invalidate(_ changes: ChangeTags = .everything) {
        guard !changes.isNothingPublic else { return }
        table.withLock { table in
            table.journal.record(changes)
            table.entries = table.entries.filter { !changes.affects($0.value.reads) }
        }
    }

    private func entry(_ key: String) -> Entry? {
        table.withLock { table in
            guard let entry = table.entries[key], entry.expires > .now else { return nil }
            return entry
        }
    }

    private var generation: Int {
        table.withLock { $0.journal.generation }
    }

    /// An entry for `body`, kept unless what it was made from changed since `generation`.
    private func store(_ key: String, body: Data, reads: ChangeTags, generation: Int) -> Entry {
        let digest = Hex.lowercase(SHA256.hash(data: body).prefix(12))
        let now = ContinuousClock.now
        let entry = Entry(
            body: ByteBuffer(bytes: body), etag: "\"\(digest)\"", stored: now, expires: now + lifetime, reads: reads)
        table.withLock { table in
            guard !table.journal.changed(reads, after: generation) else { return }
            if table.entries.count >= capacity { table.entries.removeAll() }
            table.entries[key] = entry
        }
        return entry
    }

    /// The answer for `key`, as kept or as `produce` makes it; `reads` is what it is made from.
    func respond(
        to request: Request, key: String, contentType: String = "application/json; charset=utf-8",
        dependingOn reads: ChangeTags = .everything, produce: @Sendable () async throws -> Data
    ) async throws -> Response {
        let entry: Entry
        let kept: Bool
        if let cached = self.entry(key) {
            (entry, kept) = (cached, true)
        } else {
            let generation = self.generation
            let body = try await produce()
            (entry, kept) = (store(key, body: body, reads: reads, generation: generation), false)
        }
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=\(lifetime.components.seconds)"
        headers[.edgeReads] = entry.reads.description
        // How long the copy has been kept, so that a cache after this one keeps it no longer
        // than the lifetime in all (RFC 9111, section 5.1).
        if kept {
            // Rounded up, so that it never claims less time than has passed.
            let age = (ContinuousClock.now - entry.stored).components
            headers[.age] = String(age.seconds + (age.attoseconds > 0 ? 1 : 0))
        }
        if let match = request.headers[.ifNoneMatch], ConditionalGetMiddleware.matches(match, entry.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }
}
