import Foundation

// Hashes that must be combined are required to be 32 bytes (`MerkleError.malformedHash`). Where no hashing is
// needed (equal tree sizes, or the empty subtree's tree root) roots are compared byte for byte, or not consulted,
// exactly as the reference Go implementation (transparency-dev/merkle) and its test vectors expect.
/// Verification entry points for hashes that arrive as raw bytes, e.g. decoded from JSON or a request.
extension MerkleVerifier {
    /// Verifies an inclusion proof given as raw bytes.
    public static func verifyInclusion(
        leafIndex: UInt64, treeSize: UInt64, leafHash: Data, proof: [Data], root: Data
    ) throws(MerkleError) {
        guard leafIndex < treeSize else { throw .indexOutOfRange(index: leafIndex, size: treeSize) }
        let computed = try rootFromInclusionProof(
            leafIndex: leafIndex, treeSize: treeSize, leafHash: hash(leafHash), proof: hashes(proof))
        try match(computed: computed, expected: root)
    }

    /// Verifies a subtree inclusion proof given as raw bytes.
    public static func verifySubtreeInclusion(
        leafIndex: UInt64, start: UInt64, end: UInt64, leafHash: Data, proof: [Data], subtreeRoot: Data
    ) throws(MerkleError) {
        guard MerkleProofShape.isValidSubtree(start: start, end: end) else {
            throw .invalidSubtree(start: start, end: end)
        }
        guard leafIndex >= start, leafIndex < end else { throw .indexOutOfRange(index: leafIndex, size: end) }
        try verifyInclusion(
            leafIndex: leafIndex - start, treeSize: end - start, leafHash: leafHash, proof: proof, root: subtreeRoot)
    }

    /// Verifies a consistency proof given as raw bytes.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [Data], root1: Data, root2: Data
    ) throws(MerkleError) {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .emptyTreeConsistency }
        try verifySubtreeConsistency(
            start: 0, end: size1, treeSize: size2, proof: proof, subtreeRoot: root1, root: root2)
    }

    /// Verifies a subtree consistency proof given as raw bytes.
    public static func verifySubtreeConsistency(
        start: UInt64, end: UInt64, treeSize: UInt64, proof: [Data], subtreeRoot: Data, root: Data
    ) throws(MerkleError) {
        guard MerkleProofShape.isValidSubtree(start: start, end: end) else {
            throw .invalidSubtree(start: start, end: end)
        }
        guard end <= treeSize else { throw .subtreeBeyondTree(end: end, size: treeSize) }
        if start == end {
            // The empty subtree is in every tree, so the tree root plays no part.
            _ = try rootFromSubtreeConsistencyProof(
                start: start, end: end, treeSize: treeSize, proof: hashes(proof), subtreeRoot: hash(subtreeRoot))
            return
        }
        if start == 0 && end == treeSize {
            guard proof.isEmpty else { throw .wrongProofSize(expected: 0, actual: proof.count) }
            guard subtreeRoot == root else {
                throw .rootMismatch(expected: try hash(root), computed: try hash(subtreeRoot))
            }
            return
        }
        let computed = try rootFromSubtreeConsistencyProof(
            start: start, end: end, treeSize: treeSize, proof: hashes(proof), subtreeRoot: hash(subtreeRoot))
        if let computed { try match(computed: computed, expected: root) }
    }

    private static func match(computed: MerkleHash, expected: Data) throws(MerkleError) {
        guard expected.count == MerkleHash.byteCount else { throw .malformedHash(byteCount: expected.count) }
        guard computed.data == expected else { throw .rootMismatch(expected: try hash(expected), computed: computed) }
    }

    private static func hash(_ data: Data) throws(MerkleError) -> MerkleHash {
        guard let hash = MerkleHash(data: data) else { throw .malformedHash(byteCount: data.count) }
        return hash
    }

    private static func hashes(_ list: [Data]) throws(MerkleError) -> [MerkleHash] {
        var result: [MerkleHash] = []
        result.reserveCapacity(list.count)
        for data in list { result.append(try hash(data)) }
        return result
    }
}
