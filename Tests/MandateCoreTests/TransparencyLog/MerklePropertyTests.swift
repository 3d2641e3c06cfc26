import Testing

@testable import MandateCore

/// Seeded random-tree properties: generated proofs verify, and any single flipped bit is rejected.
@Suite("Merkle proof properties")
struct MerklePropertyTests {
    /// Every size up to 24, then a spread of larger sizes up to 2,000 around powers of two.
    static let sizes: [Int] = Array(1...24) + [31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 777, 1024, 2000]

    static func tree(size: Int) -> (MerkleTree, [MerkleHash]) {
        var generator = SeededGenerator(seed: 0x5EED_0000 + UInt64(size))
        let leaves = MerkleFixtures.randomLeafHashes(count: size, generator: &generator)
        return (MerkleTree(leafHashes: leaves), leaves)
    }

    @Test("roots agree with the recursive definition", arguments: sizes)
    func roots(size: Int) throws {
        let (tree, leaves) = Self.tree(size: size)
        #expect(tree.rootHash == MerkleTree.rootHash(leafHashes: leaves))
        var generator = SeededGenerator(seed: UInt64(size))
        let prefixes = size <= 24 ? Array(0...size) : (0..<20).map { _ in Int.random(in: 0...size, using: &generator) }
        for prefix in prefixes {
            #expect(try tree.rootHash(treeSize: UInt64(prefix)) == MerkleTree.rootHash(leafHashes: leaves[..<prefix]))
        }
    }

    @Test("every inclusion proof verifies; flipped bits are rejected", arguments: sizes)
    func inclusion(size: Int) throws {
        let (tree, leaves) = Self.tree(size: size)
        let n = UInt64(size)
        let root = tree.rootHash
        var generator = SeededGenerator(seed: 0x1C + n)
        var accepted = 0
        for index in 0..<n {
            let proof = try tree.inclusionProof(leafIndex: index, treeSize: n)
            let leaf = leaves[Int(index)]
            try MerkleVerifier.verifyInclusion(leafIndex: index, treeSize: n, leafHash: leaf, proof: proof, root: root)
            // Every bit for small trees; for large ones, one random bit per hash of a sample of leaves.
            let bits: [Int]
            if size <= 8 {
                bits = Array(0..<256)
            } else if size <= 24 || Int.random(in: 0..<size, using: &generator) < 24 {
                bits = [Int.random(in: 0..<256, using: &generator)]
            } else {
                bits = []
            }
            for bit in bits {
                let flippedLeaf = MerkleFixtures.flip(leaf, bit: bit)
                let flippedRoot = MerkleFixtures.flip(root, bit: bit)
                accepted += Self.accepts {
                    try MerkleVerifier.verifyInclusion(
                        leafIndex: index, treeSize: n, leafHash: flippedLeaf, proof: proof, root: root)
                }
                accepted += Self.accepts {
                    try MerkleVerifier.verifyInclusion(
                        leafIndex: index, treeSize: n, leafHash: leaf, proof: proof, root: flippedRoot)
                }
                for position in proof.indices {
                    var bad = proof
                    bad[position] = MerkleFixtures.flip(bad[position], bit: bit)
                    accepted += Self.accepts {
                        try MerkleVerifier.verifyInclusion(
                            leafIndex: index, treeSize: n, leafHash: leaf, proof: bad, root: root)
                    }
                }
            }
        }
        #expect(accepted == 0, "\(accepted) corrupted proofs were accepted")
    }

    @Test("consistency proofs verify; flipped bits are rejected", arguments: sizes)
    func consistency(size: Int) throws {
        let (tree, _) = Self.tree(size: size)
        var generator = SeededGenerator(seed: 0xC0 + UInt64(size))
        let pairs = Self.pairs(size: UInt64(size), generator: &generator)
        var accepted = 0
        for (m, n) in pairs {
            let proof = try tree.consistencyProof(size1: m, size2: n)
            let root1 = try tree.rootHash(treeSize: m)
            let root2 = try tree.rootHash(treeSize: n)
            try MerkleVerifier.verifyConsistency(size1: m, size2: n, proof: proof, root1: root1, root2: root2)
            let bits = size <= 6 ? Array(0..<256) : [Int.random(in: 0..<256, using: &generator)]
            for bit in bits {
                let bad1 = MerkleFixtures.flip(root1, bit: bit)
                let bad2 = MerkleFixtures.flip(root2, bit: bit)
                accepted += Self.accepts {
                    try MerkleVerifier.verifyConsistency(size1: m, size2: n, proof: proof, root1: bad1, root2: root2)
                }
                accepted += Self.accepts {
                    try MerkleVerifier.verifyConsistency(size1: m, size2: n, proof: proof, root1: root1, root2: bad2)
                }
                for position in proof.indices {
                    var bad = proof
                    bad[position] = MerkleFixtures.flip(bad[position], bit: bit)
                    accepted += Self.accepts {
                        try MerkleVerifier.verifyConsistency(size1: m, size2: n, proof: bad, root1: root1, root2: root2)
                    }
                }
            }
        }
        #expect(accepted == 0, "\(accepted) corrupted proofs were accepted")
    }

    /// 1 if `body` verifies (a corrupted proof was wrongly accepted), 0 if it throws.
    static func accepts(_ body: () throws -> Void) -> Int {
        do {
            try body()
            return 1
        } catch {
            return 0
        }
    }

    /// All pairs for small trees; the extremes plus a sample of pairs for large ones.
    static func pairs(size: UInt64, generator: inout SeededGenerator) -> [(UInt64, UInt64)] {
        var pairs: [(UInt64, UInt64)] = []
        if size <= 24 {
            for m in 1...size {
                for n in m...size { pairs.append((m, n)) }
            }
            return pairs
        }
        pairs = [(1, size), (size, size), (size - 1, size)]
        for _ in 0..<60 {
            let m = UInt64.random(in: 1...size, using: &generator)
            pairs.append((m, UInt64.random(in: m...size, using: &generator)))
        }
        return pairs
    }

    @Test("subtree proofs verify for every valid subtree", arguments: [1, 2, 3, 5, 8, 13, 16, 21, 33, 48])
    func subtrees(size: Int) throws {
        let (tree, leaves) = Self.tree(size: size)
        let n = UInt64(size)
        var accepted = 0
        for start in 0..<n {
            for end in (start + 1)...n where MerkleProofShape.isValidSubtree(start: start, end: end) {
                let subtreeRoot = try tree.subtreeRoot(start: start, end: end)
                #expect(subtreeRoot == MerkleTree.rootHash(leafHashes: leaves[Int(start)..<Int(end)]))
                let proof = try tree.subtreeConsistencyProof(start: start, end: end, treeSize: n)
                try MerkleVerifier.verifySubtreeConsistency(
                    start: start, end: end, treeSize: n, proof: proof, subtreeRoot: subtreeRoot, root: tree.rootHash)
                let wrong = MerkleFixtures.flip(subtreeRoot, bit: Int(start + end) % 256)
                accepted += Self.accepts {
                    try MerkleVerifier.verifySubtreeConsistency(
                        start: start, end: end, treeSize: n, proof: proof, subtreeRoot: wrong, root: tree.rootHash)
                }
                for index in start..<end {
                    let inclusion = try tree.subtreeInclusionProof(leafIndex: index, start: start, end: end)
                    try MerkleVerifier.verifySubtreeInclusion(
                        leafIndex: index, start: start, end: end, leafHash: leaves[Int(index)], proof: inclusion,
                        subtreeRoot: subtreeRoot)
                }
            }
        }
        #expect(accepted == 0, "\(accepted) corrupted proofs were accepted")
    }

    @Test("invalid requests are typed errors")
    func invalidRequests() throws {
        let (tree, leaves) = Self.tree(size: 10)
        #expect(throws: MerkleError.indexOutOfRange(index: 10, size: 10)) {
            try tree.inclusionProof(leafIndex: 10, treeSize: 10)
        }
        #expect(throws: MerkleError.sizesOutOfOrder(size1: 5, size2: 4)) {
            try tree.consistencyProof(size1: 5, size2: 4)
        }
        #expect(throws: MerkleError.emptyTreeConsistency) { try tree.consistencyProof(size1: 0, size2: 4) }
        #expect(throws: MerkleError.treeSizeTooLarge(requested: 11, available: 10)) { try tree.rootHash(treeSize: 11) }
        #expect(throws: MerkleError.invalidSubtree(start: 2, end: 5)) {
            try tree.subtreeConsistencyProof(start: 2, end: 5, treeSize: 10)
        }
        let proof = try tree.inclusionProof(leafIndex: 3, treeSize: 10)
        #expect(throws: MerkleError.wrongProofSize(expected: proof.count, actual: proof.count - 1)) {
            try MerkleVerifier.verifyInclusion(
                leafIndex: 3, treeSize: 10, leafHash: leaves[3], proof: Array(proof.dropLast()), root: tree.rootHash)
        }
        #expect(throws: MerkleError.rootMismatch(expected: .zero, computed: tree.rootHash)) {
            try MerkleVerifier.verifyInclusion(
                leafIndex: 3, treeSize: 10, leafHash: leaves[3], proof: proof, root: .zero)
        }
    }
}
