import Foundation
import MandateCore
import SQLKit

/// One leaf as stored.
public struct LogEntry: Sendable, Hashable {
    public let index: UInt64
    public let key: String
    public let data: Data
    public let leafHash: MerkleHash
    public let publishedAt: String
}

/// A signed checkpoint as stored.
public struct StoredCheckpoint: Sendable, Hashable {
    public let size: UInt64
    public let root: MerkleHash
    /// The signed note, exactly as served.
    public let note: String
    public let signedAt: String

    public init(size: UInt64, root: MerkleHash, note: String, signedAt: String) {
        self.size = size
        self.root = root
        self.note = note
        self.signedAt = signedAt
    }
}

/// The append-only log of published facts.
public protocol TransparencyLogRepository: Sendable {
    /// Appends `fact` as the next leaf inside the caller's transaction `db`, so the fact is
    /// published and logged together or not at all; returns the leaf's index.
    func append(_ fact: PublishedFact, in db: any SQLDatabase) async throws -> UInt64
    /// The number of leaves.
    func size() async throws -> UInt64
    /// Stored hashes by their stored-hash index, in the order asked.
    func hashes(at indexes: [UInt64]) async throws -> [MerkleHash]
    /// The stored leaf hashes of the leaves in `range`, in order (fewer where the tiles end).
    func leafHashes(in range: Range<UInt64>) async throws -> [MerkleHash]
    /// The bytes of a hash tile as served; nil unless the stored tile is at least that wide.
    func tileData(_ tile: Tile) async throws -> Data?
    /// The bytes of the entry bundle of a level-0 tile as served; nil unless it has that many entries.
    func bundleData(_ tile: Tile) async throws -> Data?
    /// The leaves in `range`, in order.
    func entries(in range: Range<UInt64>) async throws -> [LogEntry]
    /// The bytes of the leaves in `range` by index, in order: what the checkpointer re-hashes.
    func leafData(in range: Range<UInt64>) async throws -> [(index: UInt64, data: Data)]
    /// The leaf of the fact with this key.
    func entry(key: String) async throws -> LogEntry?
    func latestCheckpoint() async throws -> StoredCheckpoint?
    func checkpoint(size: UInt64) async throws -> StoredCheckpoint?
    /// Stores a checkpoint; false if one of that size exists already.
    func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> Bool
}
