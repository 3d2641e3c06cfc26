/// Reads stored tree hashes by `StoredHashIndex`, e.g. from a database table keyed by index.
public protocol MerkleHashReader {
    /// Returns the hashes stored at `indexes`, in the same order.
    func readHashes(at indexes: [UInt64]) throws -> [MerkleHash]
}

/// Reads stored tree hashes by `StoredHashIndex` from an asynchronous store.
public protocol AsyncMerkleHashReader {
    /// Returns the hashes stored at `indexes`, in the same order.
    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash]
}

/// The stored hashes needed for a set of tree hashes, and how to combine them once read.
// Planning first lets a caller fetch every stored hash of a proof in one batched read.
public struct StoredHashPlan: Hashable, Sendable {
    /// The stored hash indexes to read, in order.
    public let indexes: [UInt64]
    // For each result hash, how many consecutive stored hashes it combines (right to left).
    private let parts: [Int]

    /// Plans the tree hashes MTH(D[range]) of each of `ranges`, which must be node ranges.
    public init(ranges: [Range<UInt64>]) {
        var indexes: [UInt64] = []
        var parts: [Int] = []
        parts.reserveCapacity(ranges.count)
        for range in ranges {
            parts.append(StoredHashIndex.appendCoveringIndexes(of: range, to: &indexes))
        }
        self.indexes = indexes
        self.parts = parts
    }

    /// Combines the stored hashes read for `indexes` into one tree hash per planned range.
    public func combine(_ stored: [MerkleHash]) throws(MerkleError) -> [MerkleHash] {
        guard stored.count == indexes.count else {
            throw .hashReaderCountMismatch(requested: indexes.count, returned: stored.count)
        }
        var result: [MerkleHash] = []
        result.reserveCapacity(parts.count)
        var end = 0
        for count in parts {
            guard count > 0 else {
                result.append(.emptyTreeRoot)
                continue
            }
            let start = end
            end += count
            var hash = stored[end - 1]
            for index in stride(from: end - 2, through: start, by: -1) {
                hash = .nodeHash(stored[index], hash)
            }
            result.append(hash)
        }
        return result
    }

    /// Reads the planned hashes from `reader` in one call and combines them.
    public func resolve(using reader: some MerkleHashReader) throws -> [MerkleHash] {
        try combine(indexes.isEmpty ? [] : reader.readHashes(at: indexes))
    }

    /// Reads the planned hashes from an asynchronous `reader` in one call and combines them.
    public func resolve(using reader: some AsyncMerkleHashReader) async throws -> [MerkleHash] {
        try combine(indexes.isEmpty ? [] : await reader.readHashes(at: indexes))
    }
}
