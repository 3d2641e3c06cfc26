/// Verification of Merkle inclusion and consistency proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2).
public enum MerkleVerifier {
    /// One combination of an inclusion proof: the running hash joined with a sibling.
    public struct InclusionStep: Hashable, Sendable {
        /// The proof hash combined at this step.
        public let sibling: MerkleHash
        /// Whether the sibling is the left input: `SHA-256(0x01 ‖ sibling ‖ running)`; otherwise the right one.
        public let siblingIsLeft: Bool
        /// The running hash after this step; the last step's is the root.
        public let result: MerkleHash
    }

    /// Computes the root implied by an inclusion proof for the leaf at `leafIndex` in a tree of `treeSize`.
    public static func rootFromInclusionProof(
        leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, proof: [MerkleHash]
    ) throws(MerkleError) -> MerkleHash {
        try inclusionSteps(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof).last?.result
            ?? leafHash
    }

    /// Each combination that leads from `leafHash` to the root implied by an inclusion proof, in order.
    public static func inclusionSteps(
        leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, proof: [MerkleHash]
    ) throws(MerkleError) -> [InclusionStep] {
        guard leafIndex < treeSize else { throw .indexOutOfRange(index: leafIndex, size: treeSize) }
        let expected = expectedPathLength(fn: leafIndex, sn: treeSize - 1)
        guard proof.count == expected else { throw .wrongProofSize(expected: expected, actual: proof.count) }
        var fn = leafIndex
        var sn = treeSize - 1
        var result = leafHash
        var steps: [InclusionStep] = []
        steps.reserveCapacity(proof.count)
        for sibling in proof {
            let siblingIsLeft = fn & 1 == 1 || fn == sn
            if siblingIsLeft {
                result = .nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = .nodeHash(result, sibling)
            }
            steps.append(InclusionStep(sibling: sibling, siblingIsLeft: siblingIsLeft, result: result))
            fn >>= 1
            sn >>= 1
        }
        return steps
    }

    /// Verifies that `leafHash` is the leaf at `leafIndex` in the tree of `treeSize` with root `root`.
    public static func verifyInclusion(
        leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, proof: [MerkleHash], root: MerkleHash
    ) throws(MerkleError) {
        let computed = try rootFromInclusionProof(
            leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof)
        guard computed == root else { throw .rootMismatch(expected: root, computed: computed) }
    }

    /// Verifies that `leafHash` is at `leafIndex` inside the subtree [start, end) whose hash is `subtreeRoot`.
    public static func verifySubtreeInclusion(
        leafIndex: UInt64, start: UInt64, end: UInt64, leafHash: MerkleHash, proof: [MerkleHash],
        subtreeRoot: MerkleHash
    ) throws(MerkleError) {
        guard MerkleProofShape.isValidSubtree(start: start, end: end) else {
            throw .invalidSubtree(start: start, end: end)
        }
        guard leafIndex >= start, leafIndex < end else { throw .indexOutOfRange(index: leafIndex, size: end) }
        try verifyInclusion(
            leafIndex: leafIndex - start, treeSize: end - start, leafHash: leafHash, proof: proof,
            root: subtreeRoot)
    }

    /// Verifies that the tree of `size1` leaves with `root1` is a prefix of the tree of `size2` with `root2`.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [MerkleHash], root1: MerkleHash, root2: MerkleHash
    ) throws(MerkleError) {
        let computed = try rootFromConsistencyProof(size1: size1, size2: size2, proof: proof, root1: root1)
        guard computed == root2 else { throw .rootMismatch(expected: root2, computed: computed) }
    }

    /// Checks the old-root part of a consistency proof and returns the new root it leads to.
    public static func rootFromConsistencyProof(
        size1: UInt64, size2: UInt64, proof: [MerkleHash], root1: MerkleHash
    ) throws(MerkleError) -> MerkleHash {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        // As in the reference implementation, a proof from the empty tree is rejected: it proves nothing.
        guard size1 > 0 else { throw .emptyTreeConsistency }
        return try chainSubtree(start: 0, end: size1, size: size2, proof: proof, subtreeRoot: root1)
    }

    /// Verifies that the subtree [start, end) with hash `subtreeRoot` is part of the tree of `treeSize` with `root`.
    public static func verifySubtreeConsistency(
        start: UInt64, end: UInt64, treeSize: UInt64, proof: [MerkleHash], subtreeRoot: MerkleHash,
        root: MerkleHash
    ) throws(MerkleError) {
        let computed = try rootFromSubtreeConsistencyProof(
            start: start, end: end, treeSize: treeSize, proof: proof, subtreeRoot: subtreeRoot)
        if let computed, computed != root { throw .rootMismatch(expected: root, computed: computed) }
    }

    /// Checks the subtree part of a subtree consistency proof; returns the tree root it leads to (nil: any root).
    public static func rootFromSubtreeConsistencyProof(
        start: UInt64, end: UInt64, treeSize: UInt64, proof: [MerkleHash], subtreeRoot: MerkleHash
    ) throws(MerkleError) -> MerkleHash? {
        guard MerkleProofShape.isValidSubtree(start: start, end: end) else {
            throw .invalidSubtree(start: start, end: end)
        }
        guard end <= treeSize else { throw .subtreeBeyondTree(end: end, size: treeSize) }
        // The empty subtree is part of every tree: it needs an empty proof and the empty-tree hash, and no root.
        guard start < end else {
            guard proof.isEmpty else { throw .wrongProofSize(expected: 0, actual: proof.count) }
            guard subtreeRoot == .emptyTreeRoot else {
                throw .rootMismatch(expected: subtreeRoot, computed: .emptyTreeRoot)
            }
            return nil
        }
        return try chainSubtree(start: start, end: end, size: treeSize, proof: proof, subtreeRoot: subtreeRoot)
    }

    // Runs the RFC 9162 consistency algorithm generalised to a subtree, returning the new root. `fr` tracks the
    // subtree hash and only absorbs left siblings below the subtree's height: those above lie outside [start, end).
    private static func chainSubtree(
        start: UInt64, end: UInt64, size: UInt64, proof: [MerkleHash], subtreeRoot: MerkleHash
    ) throws(MerkleError) -> MerkleHash {
        let height = UInt64.bitWidth - ((end - 1) ^ start).leadingZeroBitCount
        let length = end - start
        let seedFromProof: Bool
        let shift: Int
        if end == size {
            // The subtree is a node on the right border of the tree: only its left siblings are needed.
            (seedFromProof, shift) = (false, height)
        } else if length & (length - 1) == 0 {
            (seedFromProof, shift) = (false, length.trailingZeroBitCount)
        } else {
            (seedFromProof, shift) = (true, length.trailingZeroBitCount)
        }
        var fn = (end - 1) >> shift
        var sn = (size - 1) >> shift
        let expected = (seedFromProof ? 1 : 0) + expectedPathLength(fn: fn, sn: sn)
        guard proof.count == expected else { throw .wrongProofSize(expected: expected, actual: proof.count) }

        let seed = seedFromProof ? proof[0] : subtreeRoot
        var fr = seed
        var sr = seed
        var level = shift
        for sibling in proof.dropFirst(seedFromProof ? 1 : 0) {
            if fn & 1 == 1 || fn == sn {
                if level < height { fr = .nodeHash(sibling, fr) }
                sr = .nodeHash(sibling, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                        level += 1
                    }
                }
            } else {
                sr = .nodeHash(sr, sibling)
            }
            fn >>= 1
            sn >>= 1
            level += 1
        }
        guard fr == subtreeRoot else { throw .rootMismatch(expected: subtreeRoot, computed: fr) }
        return sr
    }

    // The number of proof hashes the RFC 9162 loop consumes from node `fn` up to the root of the tree whose last
    // node at that level is `sn`: the inner path below their fork plus the left border above it.
    private static func expectedPathLength(fn: UInt64, sn: UInt64) -> Int {
        let inner = UInt64.bitWidth - (fn ^ sn).leadingZeroBitCount
        let border = inner >= UInt64.bitWidth ? 0 : (fn >> inner).nonzeroBitCount
        return inner + border
    }
}
