import NIOCore
import Synchronization

/// The compressed forms the edge makes (`EdgeCacheMiddleware`), one per body.
extension EdgeCache {
    /// `body` compressed with gzip: the copy made for the last body with the same `etag`, or a new
    /// one.
    func compressed(_ body: ByteBuffer, etag: String) throws -> ByteBuffer {
        if let kept = compressedBodies.withLock({ $0.bodies[etag] }), kept.identityLength == body.readableBytes {
            return kept.body
        }
        let compressed = try GzipStream.compress(body)
        compressedBodies.withLock {
            $0.made += 1
            $0.keep(compressed, of: body.readableBytes, etag: etag)
        }
        return compressed
    }

    /// How many bodies `compressed` has compressed.
    var compressions: Int {
        compressedBodies.withLock { $0.made }
    }
}

/// Compressed bodies by the ETag of their identity form, within a budget of entries and bytes; a
/// full table is emptied (a new render is compressed again, nothing more).
struct CompressedBodies {
    struct Kept {
        let identityLength: Int
        let body: ByteBuffer
    }
    static let capacity = 64
    static let byteBudget = 8 << 20

    var bodies: [String: Kept] = [:]
    var bytes = 0
    var made = 0

    mutating func keep(_ body: ByteBuffer, of identityLength: Int, etag: String) {
        guard body.readableBytes <= Self.byteBudget else { return }
        if bodies.count >= Self.capacity || bytes + body.readableBytes > Self.byteBudget {
            bodies.removeAll()
            bytes = 0
        }
        if let replaced = bodies.updateValue(Kept(identityLength: identityLength, body: body), forKey: etag) {
            bytes -= replaced.body.readableBytes
        }
        bytes += body.readableBytes
    }
}
