import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Keeps encoded public responses for a few seconds, with an ETag, and answers conditional
/// requests with 304. Public reference data changes rarely; several instances may each hold a
/// copy, so entries expire rather than wait for a signal.
///
/// Every public read goes through here, so the table is behind a lock rather than in an actor:
/// a hit must not cost a task switch.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let body: ByteBuffer
        let etag: String
        let stored: ContinuousClock.Instant
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    private let capacity = 2048
    /// The copies the edge keeps of this cache's answers, dropped with it.
    private let edge: EdgeCache?

    init(lifetime: Duration = .seconds(5), edge: EdgeCache? = nil) {
        self.lifetime = lifetime
        self.edge = edge
    }

    /// Drops everything, after a write that changes public data.
    func invalidate() {
        entries.withLock { $0.removeAll() }
        edge?.invalidate()
    }

    private func entry(_ key: String) -> Entry? {
        entries.withLock { table in
            guard let entry = table[key], entry.expires > .now else { return nil }
            return entry
        }
    }

    private func store(_ key: String, body: Data) -> Entry {
        let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        let now = ContinuousClock.now
        let entry = Entry(body: ByteBuffer(bytes: body), etag: "\"\(digest)\"", stored: now, expires: now + lifetime)
        entries.withLock { table in
            if table.count >= capacity { table.removeAll() }
            table[key] = entry
        }
        return entry
    }

    func respond(
        to request: Request, key: String, contentType: String = "application/json; charset=utf-8",
        produce: @Sendable () async throws -> Data
    ) async throws -> Response {
        let entry: Entry
        let kept: Bool
        if let cached = self.entry(key) {
            (entry, kept) = (cached, true)
        } else {
            (entry, kept) = (store(key, body: try await produce()), false)
        }
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=\(lifetime.components.seconds)"
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
