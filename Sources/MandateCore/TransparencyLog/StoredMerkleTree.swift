/// Tree hashes and proofs computed from stored hashes (see `StoredHashIndex`), as a database-backed log does.
// Each operation has a plan form, listing the stored indexes to fetch in one batch, and convenience forms that
// read through a synchronous or asynchronous hash reader.
public enum StoredMerkleTree {
    /// The stored indexes of the left siblings that leaf `index` completes, in ascending order.
    public static func siblingIndexes(forNewLeafAt index: UInt64) throws(MerkleError) -> [UInt64] {
        try checkSize(index)
        let completed = (index + 1).trailingZeroBitCount
        return (0..<completed).reversed().map { level in
            StoredHashIndex.index(level: level, n: index >> level - 1)
        }
    }

    /// The hashes to store from `StoredHashIndex.index(level: 0, n: index)` on, given the hashes at `siblingIndexes`.
    public static func storedHashes(
        forNewLeaf leafHash: MerkleHash, at index: UInt64, siblings: [MerkleHash]
    ) throws(MerkleError) -> [MerkleHash] {
        try checkSize(index)
        let completed = (index + 1).trailingZeroBitCount
        guard siblings.count == completed else {
            throw .hashReaderCountMismatch(requested: completed, returned: siblings.count)
        }
        var hashes = [leafHash]
        hashes.reserveCapacity(completed + 1)
        var hash = leafHash
        for sibling in siblings.reversed() {
            hash = .nodeHash(sibling, hash)
            hashes.append(hash)
        }
        return hashes
    }

    /// The hashes to store when leaf `index` is appended, reading its left siblings from `reader`.
    public static func storedHashes(
        forNewLeaf leafHash: MerkleHash, at index: UInt64, reader: some MerkleHashReader
    ) throws -> [MerkleHash] {
        let indexes = try siblingIndexes(forNewLeafAt: index)
        let siblings = indexes.isEmpty ? [] : try reader.readHashes(at: indexes)
        return try storedHashes(forNewLeaf: leafHash, at: index, siblings: siblings)
    }

    /// The hashes to store when leaf `index` is appended, reading its left siblings from an async `reader`.
    public static func storedHashes(
        forNewLeaf leafHash: MerkleHash, at index: UInt64, reader: some AsyncMerkleHashReader
    ) async throws -> [MerkleHash] {
        let indexes = try siblingIndexes(forNewLeafAt: index)
        let siblings = indexes.isEmpty ? [] : try await reader.readHashes(at: indexes)
        return try storedHashes(forNewLeaf: leafHash, at: index, siblings: siblings)
    }

    /// Plans the root hash of the first `treeSize` leaves (the empty tree needs no reads).
    public static func rootHashPlan(treeSize: UInt64) throws(MerkleError) -> StoredHashPlan {
        try checkSize(treeSize)
        return StoredHashPlan(ranges: [0..<treeSize])
    }

    /// Plans the inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves.
    public static func inclusionProofPlan(leafIndex: UInt64, treeSize: UInt64) throws(MerkleError) -> StoredHashPlan {
        try checkSize(treeSize)
        return StoredHashPlan(ranges: try MerkleProofShape.inclusion(index: leafIndex, size: treeSize))
    }

    /// Plans the consistency proof from `size1` to `size2` leaves.
    public static func consistencyProofPlan(size1: UInt64, size2: UInt64) throws(MerkleError) -> StoredHashPlan {
        try checkSize(size2)
        return StoredHashPlan(ranges: try MerkleProofShape.consistency(size1: size1, size2: size2))
    }

    /// Plans the hash of the subtree [start, end).
    public static func subtreeRootPlan(start: UInt64, end: UInt64) throws(MerkleError) -> StoredHashPlan {
        try checkSize(end)
        guard MerkleProofShape.isValidSubtree(start: start, end: end) else {
            throw .invalidSubtree(start: start, end: end)
        }
        return StoredHashPlan(ranges: [start..<end])
    }

    /// Plans the inclusion proof of leaf `leafIndex` in the subtree [start, end).
    public static func subtreeInclusionProofPlan(
        leafIndex: UInt64, start: UInt64, end: UInt64
    ) throws(MerkleError) -> StoredHashPlan {
        try checkSize(end)
        return StoredHashPlan(ranges: try MerkleProofShape.subtreeInclusion(index: leafIndex, start: start, end: end))
    }

    /// Plans the consistency proof of the subtree [start, end) into the tree of `treeSize` leaves.
    public static func subtreeConsistencyProofPlan(
        start: UInt64, end: UInt64, treeSize: UInt64
    ) throws(MerkleError) -> StoredHashPlan {
        try checkSize(treeSize)
        return StoredHashPlan(
            ranges: try MerkleProofShape.subtreeConsistency(start: start, end: end, size: treeSize))
    }

    /// The root hash of the first `treeSize` leaves, read from `reader`.
    public static func rootHash(treeSize: UInt64, reader: some MerkleHashReader) throws -> MerkleHash {
        try rootHashPlan(treeSize: treeSize).resolve(using: reader).first ?? .emptyTreeRoot
    }

    /// The root hash of the first `treeSize` leaves, read from an async `reader`.
    public static func rootHash(treeSize: UInt64, reader: some AsyncMerkleHashReader) async throws -> MerkleHash {
        try await rootHashPlan(treeSize: treeSize).resolve(using: reader).first ?? .emptyTreeRoot
    }

    /// The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves, read from `reader`.
    public static func inclusionProof(
        leafIndex: UInt64, treeSize: UInt64, reader: some MerkleHashReader
    ) throws -> [MerkleHash] {
        try inclusionProofPlan(leafIndex: leafIndex, treeSize: treeSize).resolve(using: reader)
    }

    /// The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves, read from an async `reader`.
    public static func inclusionProof(
        leafIndex: UInt64, treeSize: UInt64, reader: some AsyncMerkleHashReader
    ) async throws -> [MerkleHash] {
        try await inclusionProofPlan(leafIndex: leafIndex, treeSize: treeSize).resolve(using: reader)
    }

    /// The consistency proof from `size1` to `size2` leaves, read from `reader`.
    public static func consistencyProof(
        size1: UInt64, size2: UInt64, reader: some MerkleHashReader
    ) throws -> [MerkleHash] {
        try consistencyProofPlan(size1: size1, size2: size2).resolve(using: reader)
    }

    /// The consistency proof from `size1` to `size2` leaves, read from an async `reader`.
    public static func consistencyProof(
        size1: UInt64, size2: UInt64, reader: some AsyncMerkleHashReader
    ) async throws -> [MerkleHash] {
        try await consistencyProofPlan(size1: size1, size2: size2).resolve(using: reader)
    }

    private static func checkSize(_ size: UInt64) throws(MerkleError) {
        guard size <= StoredHashIndex.maxTreeSize else {
            throw .treeSizeTooLarge(requested: size, available: StoredHashIndex.maxTreeSize)
        }
    }
}
