/// The storage layout of Go's sumdb/tlog: every complete node hash of the tree in one append-only sequence.
// Hashes are numbered in the order they become known as leaves are appended: leaf `n`'s hash is followed by the
// hashes of the subtrees that leaf completes. A tree of `n` leaves therefore occupies exactly the indexes
// `0..<count(treeSize: n)`, and appending only ever adds hashes at the end.
public enum StoredHashIndex {
    /// The largest tree size whose indexes are supported; larger sizes would overflow 64-bit indexes.
    public static let maxTreeSize: UInt64 = 1 << 62

    /// The stored index of the hash of node `n` at `level` (level 0 holds the leaf hashes).
    @inlinable
    public static func index(level: Int, n: UInt64) -> UInt64 {
        // The node is stored right after the last leaf beneath it, plus one slot per level below it.
        let lastLeaf = n << level | ((1 << level) - 1)
        return 2 * lastLeaf - UInt64(lastLeaf.nonzeroBitCount) + UInt64(level)
    }

    /// The level and node number of the hash stored at `index` (the inverse of `index(level:n:)`).
    public static func split(_ index: UInt64) -> (level: Int, n: UInt64) {
        // Leaf n is stored at index(0, n) < 2n + 1, so the leaf whose hashes include `index` is at least index/2.
        var leaf = index / 2
        var leafIndex = self.index(level: 0, n: leaf)
        while true {
            // Leaf n is followed by one hash for each subtree it completes: trailingZeros(n + 1) of them.
            let next = leafIndex + 1 + UInt64((leaf + 1).trailingZeroBitCount)
            if next > index { break }
            leaf += 1
            leafIndex = next
        }
        let level = Int(index - leafIndex)
        return (level, leaf >> level)
    }

    /// The number of stored hashes in a tree of `treeSize` leaves: one per complete node.
    @inlinable
    public static func count(treeSize: UInt64) -> UInt64 {
        2 * treeSize - UInt64(treeSize.nonzeroBitCount)
    }

    // Appends the indexes of the complete nodes covering MTH(D[range]), left to right, and returns their number.
    // The range must be a node range of some Merkle tree (as every range in `MerkleProofShape` is), so that
    // combining the hashes right to left yields its tree hash.
    @discardableResult
    static func appendCoveringIndexes(of range: Range<UInt64>, to indexes: inout [UInt64]) -> Int {
        var lo = range.lowerBound
        let hi = range.upperBound
        var added = 0
        while lo < hi {
            var level = 63 - (hi - lo).leadingZeroBitCount
            if lo != 0 { level = min(level, lo.trailingZeroBitCount) }
            indexes.append(index(level: level, n: lo >> level))
            lo += 1 << level
            added += 1
        }
        return added
    }
}
