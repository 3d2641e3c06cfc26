import Crypto
import Foundation

/// A 32-byte SHA-256 Merkle tree hash, stored inline without heap allocation.
public struct MerkleHash: Hashable, Sendable {
    /// The number of bytes in a hash.
    public static let byteCount = 32

    // The four words hold the hash bytes in memory order, so their raw bytes are the hash bytes.
    @usableFromInline
    internal var words: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero hash.
    public static let zero = MerkleHash(words: (0, 0, 0, 0))

    /// The root hash of the empty tree: SHA-256 of the empty string.
    public static let emptyTreeRoot: MerkleHash = {
        MerkleHash(SHA256().finalize())
    }()

    @inlinable
    internal init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Creates a hash from exactly 32 bytes, or returns nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        let contiguous = bytes.withContiguousStorageIfAvailable { MerkleHash(buffer: UnsafeRawBufferPointer($0)) }
        if let contiguous, let hash = contiguous {
            self = hash
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &words) { target in
            for (offset, byte) in bytes.enumerated() { target[offset] = byte }
        }
        self.words = words
    }

    /// Creates a hash from a 32-byte raw buffer, or returns nil for any other length.
    public init?(buffer: UnsafeRawBufferPointer) {
        guard buffer.count == Self.byteCount else { return nil }
        self.words = (
            buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
            buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    @inlinable
    internal init(_ digest: SHA256.Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { target in
                target.copyMemory(from: source)
            }
        }
        self.words = words
    }

    /// Calls `body` with the 32 hash bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// The hash bytes as an array.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Whether two hashes have the same bytes.
    public static func == (lhs: MerkleHash, rhs: MerkleHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// Feeds the hash bytes into `hasher`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

extension MerkleHash {
    /// The RFC 6962 leaf hash: SHA-256(0x00 || data).
    @inlinable
    public static func leafHash(of data: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
        return MerkleHash(hasher.finalize())
    }

    /// The RFC 6962 leaf hash of the bytes in `buffer`.
    @inlinable
    public static func leafHash(buffer: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: buffer)
        return MerkleHash(hasher.finalize())
    }

    /// The RFC 6962 interior node hash: SHA-256(0x01 || left || right).
    @inlinable
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        // One contiguous 65-byte stack buffer lets SHA-256 run over the input in a single update.
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer[0] = 1
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return MerkleHash(hasher.finalize())
        }
    }
}
