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
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    private let capacity = 2048

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    /// Drops everything, after a write that changes public data.
    func invalidate() {
        entries.withLock { $0.removeAll() }
    }

    private func entry(_ key: String) -> Entry? {
        entries.withLock { table in
            guard let entry = table[key], entry.expires > .now else { return nil }
            return entry
        }
    }

    private func store(_ key: String, body: Data) -> Entry {
        let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        let entry = Entry(body: ByteBuffer(bytes: body), etag: "\"\(digest)\"", expires: .now + lifetime)
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
        if let cached = self.entry(key) {
            entry = cached
        } else {
            entry = store(key, body: try await produce())
        }
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=5"
        if let match = request.headers[.ifNoneMatch], ConditionalGetMiddleware.matches(match, entry.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }
}
