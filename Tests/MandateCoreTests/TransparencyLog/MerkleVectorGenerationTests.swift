import Foundation
import Testing

@testable import MandateCore

/// Checks that proofs generated here are byte-identical to the happy-path proofs in the vectors.
@Suite("Merkle proof generation matches the vectors")
struct MerkleVectorGenerationTests {
    static let happyPaths = ["inclusion", "consistency", "subtreeinclusion", "subtreeconsistency"]
        .flatMap { MerkleVectors.files($0) }
        .filter { $0.hasSuffix("happy-path.json") || $0.hasSuffix("happy-path-subtree.json") }

    @Test("reference roots of sizes 0 through 8")
    func referenceRoots() throws {
        let tree = MerkleFixtures.referenceTree
        for size in 0...8 {
            let root = try tree.rootHash(treeSize: UInt64(size))
            #expect(root.hex == MerkleFixtures.referenceRoots[size])
            let leaves = try (0..<UInt64(size)).map { index throws(MerkleError) in try tree.leafHash(at: index) }
            #expect(MerkleTree.rootHash(leafHashes: leaves) == root)
        }
    }

    @Test("generated proof equals the vector's", arguments: happyPaths)
    func generatedProofMatches(path: String) throws {
        let kind = String(path.prefix { $0 != "/" })
        switch kind {
        case "inclusion":
            let test = try MerkleVectors.load(MerkleVectorTests.InclusionCase.self, path)
            let proof = try MerkleFixtures.referenceTree.inclusionProof(
                leafIndex: test.leafIdx, treeSize: test.treeSize)
            #expect(try proof.map(\.data) == (test.proof ?? []).map(MerkleVectors.bytes))
        case "consistency":
            let test = try MerkleVectors.load(MerkleVectorTests.ConsistencyCase.self, path)
            let proof = try MerkleFixtures.referenceTree.consistencyProof(size1: test.size1, size2: test.size2)
            #expect(try proof.map(\.data) == (test.proof ?? []).map(MerkleVectors.bytes))
        case "subtreeconsistency":
            let test = try MerkleVectors.load(MerkleVectorTests.SubtreeConsistencyCase.self, path)
            let proof = try MerkleFixtures.referenceTree.subtreeConsistencyProof(
                start: test.start, end: test.end, treeSize: test.size)
            #expect(try proof.map(\.data) == (test.proof ?? []).map(MerkleVectors.bytes))
        default:
            let test = try MerkleVectors.load(MerkleVectorTests.SubtreeInclusionCase.self, path)
            // Place the reference leaves at the subtree's position, after arbitrary filler leaves.
            var tree = MerkleTree()
            for _ in 0..<test.start { tree.append(leafData: [0xff]) }
            for leaf in MerkleFixtures.referenceLeaves.prefix(Int(test.end - test.start)) {
                tree.append(leafData: leaf)
            }
            let proof = try tree.subtreeInclusionProof(leafIndex: test.leafIdx, start: test.start, end: test.end)
            #expect(try proof.map(\.data) == (test.proof ?? []).map(MerkleVectors.bytes))
            #expect(try tree.subtreeRoot(start: test.start, end: test.end).data == MerkleVectors.bytes(test.root))
        }
    }
}
