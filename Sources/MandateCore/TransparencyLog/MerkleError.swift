/// Errors from Merkle tree proof generation and verification.
public enum MerkleError: Error, Hashable, Sendable {
    /// The leaf index is not below the tree (or subtree) size.
    case indexOutOfRange(index: UInt64, size: UInt64)
    /// The proof has the wrong number of hashes for the given indices and sizes.
    case wrongProofSize(expected: Int, actual: Int)
    /// The root computed from the proof differs from the expected root.
    case rootMismatch(expected: MerkleHash, computed: MerkleHash)
    /// The first tree is larger than the second.
    case sizesOutOfOrder(size1: UInt64, size2: UInt64)
    /// A consistency proof from the empty tree proves nothing and is not accepted.
    case emptyTreeConsistency
    /// The range [start, end) is not a valid subtree of a Merkle tree.
    case invalidSubtree(start: UInt64, end: UInt64)
    /// The subtree's end lies beyond the tree size.
    case subtreeBeyondTree(end: UInt64, size: UInt64)
    /// A hash given as raw bytes did not have exactly 32 bytes.
    case malformedHash(byteCount: Int)
    /// The requested tree size exceeds the number of leaves available.
    case treeSizeTooLarge(requested: UInt64, available: UInt64)
    /// A hash reader returned a different number of hashes than requested.
    case hashReaderCountMismatch(requested: Int, returned: Int)
    /// A compact range (frontier) had the wrong number of hashes for its size.
    case malformedFrontier(size: UInt64, hashCount: Int)
}

extension MerkleError: CustomStringConvertible {
    /// A human-readable explanation of the error.
    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let size):
            "leaf index \(index) is out of range for size \(size)"
        case .wrongProofSize(let expected, let actual):
            "wrong proof size \(actual), want \(expected)"
        case .rootMismatch(let expected, let computed):
            "computed root \(computed.hex) does not match expected root \(expected.hex)"
        case .sizesOutOfOrder(let size1, let size2):
            "tree size \(size1) is larger than tree size \(size2)"
        case .emptyTreeConsistency:
            "consistency proof from the empty tree is meaningless"
        case .invalidSubtree(let start, let end):
            "[\(start), \(end)) is not a valid subtree"
        case .subtreeBeyondTree(let end, let size):
            "subtree end \(end) is beyond tree size \(size)"
        case .malformedHash(let byteCount):
            "hash has \(byteCount) bytes, want 32"
        case .treeSizeTooLarge(let requested, let available):
            "tree size \(requested) exceeds the \(available) leaves available"
        case .hashReaderCountMismatch(let requested, let returned):
            "hash reader returned \(returned) hashes for \(requested) indexes"
        case .malformedFrontier(let size, let hashCount):
            "frontier of size \(size) cannot have \(hashCount) hashes"
        }
    }
}
