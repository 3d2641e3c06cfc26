import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Keeps encoded public responses for a few seconds, with an ETag, and answers conditional
/// requests with 304. Public reference data changes rarely; several instances may each hold a
/// copy, so entries expire rather than wait for a signal.
actor ResponseCache {
    struct Entry {
        let body: Data
        let etag: String
        let expires: ContinuousClock.Instant
    }

    private var entries: [String: Entry] = [:]
    private let lifetime: Duration
    private let capacity = 2048

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    /// Drops everything, after a write that changes public data.
    func invalidate() {
        entries.removeAll()
    }

    private func entry(_ key: String) -> Entry? {
        guard let entry = entries[key], entry.expires > .now else { return nil }
        return entry
    }

    private func store(_ key: String, body: Data) -> Entry {
        if entries.count >= capacity { entries.removeAll() }
        let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        let entry = Entry(body: body, etag: "\"\(digest)\"", expires: .now + lifetime)
        entries[key] = entry
        return entry
    }

    nonisolated func respond(
        to request: Request, key: String, produce: @Sendable () async throws -> Data
    ) async throws -> Response {
        let entry: Entry
        if let cached = await self.entry(key) {
            entry = cached
        } else {
            entry = await store(key, body: try await produce())
        }
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=5"
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == entry.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
            })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: entry.body)))
    }
}
