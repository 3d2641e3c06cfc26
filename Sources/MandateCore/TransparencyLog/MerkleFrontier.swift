/// The right edge of a Merkle tree (the compact range of [0, size)): enough to append leaves and compute the root.
// A log keeps one in memory, appends each new leaf with `append(_:into:)`, and writes the returned hashes at the
// end of its stored hash sequence, so appending never reads storage.
public struct MerkleFrontier: Hashable, Sendable {
    /// The number of leaves in the tree.
    public private(set) var size: UInt64
    /// The roots of the tree's perfect subtrees, largest (leftmost) first: one per set bit of `size`.
    public private(set) var hashes: [MerkleHash]

    /// The frontier of the empty tree.
    public init() {
        size = 0
        hashes = []
    }

    /// A frontier from its size and perfect-subtree roots, e.g. as read through `storedIndexes(treeSize:)`.
    public init(size: UInt64, hashes: [MerkleHash]) throws(MerkleError) {
        guard size <= StoredHashIndex.maxTreeSize, hashes.count == size.nonzeroBitCount else {
            throw .malformedFrontier(size: size, hashCount: hashes.count)
        }
        self.size = size
        self.hashes = hashes
    }

    /// The stored indexes of the perfect-subtree roots of a tree of `treeSize` leaves, largest first.
    public static func storedIndexes(treeSize: UInt64) -> [UInt64] {
        var indexes: [UInt64] = []
        StoredHashIndex.appendCoveringIndexes(of: 0..<treeSize, to: &indexes)
        return indexes
    }

    /// Loads the frontier of the tree of `treeSize` leaves from `reader`.
    public init(treeSize: UInt64, reader: some MerkleHashReader) throws {
        let indexes = Self.storedIndexes(treeSize: treeSize)
        try self.init(size: treeSize, hashes: indexes.isEmpty ? [] : reader.readHashes(at: indexes))
    }

    /// Loads the frontier of the tree of `treeSize` leaves from an async `reader`.
    public init(treeSize: UInt64, reader: some AsyncMerkleHashReader) async throws {
        let indexes = Self.storedIndexes(treeSize: treeSize)
        try self.init(size: treeSize, hashes: indexes.isEmpty ? [] : await reader.readHashes(at: indexes))
    }

    /// The root hash of the tree.
    public var rootHash: MerkleHash {
        guard var root = hashes.last else { return .emptyTreeRoot }
        for index in stride(from: hashes.count - 2, through: 0, by: -1) {
            root = .nodeHash(hashes[index], root)
        }
        return root
    }

    /// Appends a leaf, adding to `stored` the hashes that belong at `StoredHashIndex.count(treeSize: size)` onwards.
    public mutating func append(_ leafHash: MerkleHash, into stored: inout [MerkleHash]) {
        stored.append(leafHash)
        var hash = leafHash
        var completed = (size + 1).trailingZeroBitCount
        while completed > 0, let left = hashes.popLast() {
            hash = .nodeHash(left, hash)
            stored.append(hash)
            completed -= 1
        }
        hashes.append(hash)
        size += 1
    }

    /// Appends a leaf and returns the hashes to store for it.
    @discardableResult
    public mutating func append(_ leafHash: MerkleHash) -> [MerkleHash] {
        var stored: [MerkleHash] = []
        append(leafHash, into: &stored)
        return stored
    }
}
