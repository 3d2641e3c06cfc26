import Foundation

/// An in-memory Merkle tree that keeps every stored hash, for tests, tools and logs small enough for memory.
// It uses the same stored-hash layout and proof plans as a database-backed log, so it doubles as the
// reference `MerkleHashReader`.
public struct MerkleTree: MerkleHashReader, Sendable {
    /// Every stored hash, indexed by `StoredHashIndex`.
    public private(set) var storedHashes: [MerkleHash] = []
    /// The right edge of the tree, used for appending and the current root.
    public private(set) var frontier = MerkleFrontier()

    /// An empty tree.
    public init() {}

    /// A tree of the given leaf hashes, in order.
    public init(leafHashes: some Sequence<MerkleHash>) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    /// The number of leaves.
    public var size: UInt64 { frontier.size }

    /// The root hash of the whole tree.
    public var rootHash: MerkleHash { frontier.rootHash }

    /// Appends a leaf by its leaf hash.
    public mutating func append(leafHash: MerkleHash) {
        frontier.append(leafHash, into: &storedHashes)
    }

    /// Appends a leaf by its data and returns the leaf hash.
    @discardableResult
    public mutating func append(leafData: some DataProtocol) -> MerkleHash {
        let hash = MerkleHash.leafHash(of: leafData)
        append(leafHash: hash)
        return hash
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: UInt64) throws(MerkleError) -> MerkleHash {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        return storedHashes[Int(StoredHashIndex.index(level: 0, n: index))]
    }

    /// The root hash of the first `treeSize` leaves.
    public func rootHash(treeSize: UInt64) throws(MerkleError) -> MerkleHash {
        try resolve(StoredMerkleTree.rootHashPlan(treeSize: treeSize), treeSize: treeSize).first ?? .emptyTreeRoot
    }

    /// The inclusion proof of leaf `leafIndex` in the tree of the first `treeSize` leaves.
    public func inclusionProof(leafIndex: UInt64, treeSize: UInt64) throws(MerkleError) -> [MerkleHash] {
        try resolve(StoredMerkleTree.inclusionProofPlan(leafIndex: leafIndex, treeSize: treeSize), treeSize: treeSize)
    }

    /// The consistency proof from the first `size1` to the first `size2` leaves.
    public func consistencyProof(size1: UInt64, size2: UInt64) throws(MerkleError) -> [MerkleHash] {
        try resolve(StoredMerkleTree.consistencyProofPlan(size1: size1, size2: size2), treeSize: size2)
    }

    /// The hash of the subtree [start, end).
    public func subtreeRoot(start: UInt64, end: UInt64) throws(MerkleError) -> MerkleHash {
        try resolve(StoredMerkleTree.subtreeRootPlan(start: start, end: end), treeSize: end).first ?? .emptyTreeRoot
    }

    /// The inclusion proof of leaf `leafIndex` in the subtree [start, end).
    public func subtreeInclusionProof(leafIndex: UInt64, start: UInt64, end: UInt64) throws(MerkleError) -> [MerkleHash]
    {
        let plan = try StoredMerkleTree.subtreeInclusionProofPlan(leafIndex: leafIndex, start: start, end: end)
        return try resolve(plan, treeSize: end)
    }

    /// The consistency proof of the subtree [start, end) into the tree of the first `treeSize` leaves.
    public func subtreeConsistencyProof(
        start: UInt64, end: UInt64, treeSize: UInt64
    ) throws(MerkleError) -> [MerkleHash] {
        let plan = try StoredMerkleTree.subtreeConsistencyProofPlan(start: start, end: end, treeSize: treeSize)
        return try resolve(plan, treeSize: treeSize)
    }

    /// Returns the stored hashes at `indexes`.
    public func readHashes(at indexes: [UInt64]) throws(MerkleError) -> [MerkleHash] {
        let available = UInt64(storedHashes.count)
        var result: [MerkleHash] = []
        result.reserveCapacity(indexes.count)
        for index in indexes {
            guard index < available else { throw .indexOutOfRange(index: index, size: available) }
            result.append(storedHashes[Int(index)])
        }
        return result
    }

    private func resolve(_ plan: StoredHashPlan, treeSize: UInt64) throws(MerkleError) -> [MerkleHash] {
        guard treeSize <= size else { throw .treeSizeTooLarge(requested: treeSize, available: size) }
        return try plan.combine(readHashes(at: plan.indexes))
    }

    /// MTH(D) computed directly from the RFC 6962 recursive definition, as a reference.
    public static func rootHash(leafHashes: some RandomAccessCollection<MerkleHash>) -> MerkleHash {
        let leaves = Array(leafHashes)
        return leaves.isEmpty ? .emptyTreeRoot : recursiveRoot(leaves[...])
    }

    private static func recursiveRoot(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        switch leaves.count {
        case 0: return .emptyTreeRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + Int(MerkleProofShape.largestPowerOfTwo(below: UInt64(leaves.count)))
            return .nodeHash(recursiveRoot(leaves[..<split]), recursiveRoot(leaves[split...]))
        }
    }
}
