import Foundation
import Testing

@testable import MandateCore

/// A hash store that counts reads, standing in for a database.
final class CountingReader: MerkleHashReader {
    var hashes: [MerkleHash] = []
    var reads = 0

    func readHashes(at indexes: [UInt64]) throws -> [MerkleHash] {
        reads += 1
        return try indexes.map { index in
            guard index < hashes.count else {
                throw MerkleError.indexOutOfRange(index: index, size: UInt64(hashes.count))
            }
            return hashes[Int(index)]
        }
    }
}

/// An asynchronous hash store, standing in for an async database driver.
actor AsyncHashStore: AsyncMerkleHashReader {
    private var hashes: [MerkleHash] = []
    private(set) var reads = 0

    func append(_ new: [MerkleHash]) { hashes += new }

    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        reads += 1
        return try indexes.map { index in
            guard index < hashes.count else {
                throw MerkleError.indexOutOfRange(index: index, size: UInt64(hashes.count))
            }
            return hashes[Int(index)]
        }
    }
}

@Suite("Stored hash layout and incremental tree")
struct StoredMerkleTreeTests {
    @Test("index and split are inverse and follow append order")
    func indexLayout() {
        // The first stored hashes of Go's tlog layout: leaf 0, leaf 1, node (1,0), leaf 2, leaf 3, (1,1), (2,0) ...
        #expect(StoredHashIndex.index(level: 0, n: 0) == 0)
        #expect(StoredHashIndex.index(level: 0, n: 1) == 1)
        #expect(StoredHashIndex.index(level: 1, n: 0) == 2)
        #expect(StoredHashIndex.index(level: 1, n: 1) == 5)
        #expect(StoredHashIndex.index(level: 2, n: 0) == 6)
        #expect(StoredHashIndex.index(level: 0, n: 4) == 7)
        for index: UInt64 in 0..<20_000 {
            let (level, n) = StoredHashIndex.split(index)
            #expect(StoredHashIndex.index(level: level, n: n) == index)
        }
        var expectedCount: UInt64 = 0
        for size: UInt64 in 0..<2_000 {
            #expect(StoredHashIndex.count(treeSize: size) == expectedCount)
            expectedCount += 1 + UInt64((size + 1).trailingZeroBitCount)
        }
    }

    @Test("every stored hash is the recursive hash of the leaves beneath it")
    func storedHashesMatchDefinition() throws {
        var generator = SeededGenerator(seed: 42)
        let leaves = MerkleFixtures.randomLeafHashes(count: 300, generator: &generator)
        let tree = MerkleTree(leafHashes: leaves)
        #expect(UInt64(tree.storedHashes.count) == StoredHashIndex.count(treeSize: 300))
        for (index, hash) in tree.storedHashes.enumerated() {
            let (level, n) = StoredHashIndex.split(UInt64(index))
            let first = Int(n << level)
            #expect(hash == MerkleTree.rootHash(leafHashes: leaves[first..<(first + (1 << level))]))
        }
    }

    @Test("storedHashes(forNewLeaf:) through a reader builds the same store as the frontier")
    func incrementalAppend() async throws {
        var generator = SeededGenerator(seed: 7)
        let leaves = MerkleFixtures.randomLeafHashes(count: 200, generator: &generator)
        let reader = CountingReader()
        let store = AsyncHashStore()
        var frontier = MerkleFrontier()
        for (index, leaf) in leaves.enumerated() {
            let position = UInt64(index)
            #expect(UInt64(reader.hashes.count) == StoredHashIndex.count(treeSize: position))
            let viaReader = try StoredMerkleTree.storedHashes(forNewLeaf: leaf, at: position, reader: reader)
            let viaAsync = try await StoredMerkleTree.storedHashes(forNewLeaf: leaf, at: position, reader: store)
            #expect(viaReader == frontier.append(leaf))
            #expect(viaAsync == viaReader)
            reader.hashes += viaReader
            await store.append(viaAsync)
            #expect(try StoredMerkleTree.rootHash(treeSize: position + 1, reader: reader) == frontier.rootHash)
        }
        #expect(frontier.rootHash == MerkleTree.rootHash(leafHashes: leaves))
        #expect(try await StoredMerkleTree.rootHash(treeSize: 200, reader: store) == frontier.rootHash)
        let reloaded = try await MerkleFrontier(treeSize: 200, reader: store)
        #expect(reloaded == frontier)
        #expect(
            try MerkleFrontier(treeSize: 37, reader: reader).rootHash == MerkleTree.rootHash(leafHashes: leaves[..<37]))
        #expect(throws: MerkleError.malformedFrontier(size: 3, hashCount: 1)) {
            try MerkleFrontier(size: 3, hashes: [.zero])
        }
    }

    @Test("proofs from a reader need one batched read and match the in-memory tree")
    func batchedProofs() async throws {
        var generator = SeededGenerator(seed: 9)
        let tree = MerkleTree(leafHashes: MerkleFixtures.randomLeafHashes(count: 1000, generator: &generator))
        let store = AsyncHashStore()
        await store.append(tree.storedHashes)
        let reader = CountingReader()
        reader.hashes = tree.storedHashes
        for (index, size): (UInt64, UInt64) in [(0, 1), (5, 17), (511, 512), (999, 1000), (300, 777)] {
            let readsBefore = await store.reads
            let proof = try await StoredMerkleTree.inclusionProof(leafIndex: index, treeSize: size, reader: store)
            #expect(await store.reads - readsBefore == (size == 1 ? 0 : 1))
            #expect(proof == (try tree.inclusionProof(leafIndex: index, treeSize: size)))
            let consistency = try StoredMerkleTree.consistencyProof(size1: index + 1, size2: size, reader: reader)
            try MerkleVerifier.verifyConsistency(
                size1: index + 1, size2: size, proof: consistency, root1: tree.rootHash(treeSize: index + 1),
                root2: tree.rootHash(treeSize: size))
        }
        #expect(try StoredMerkleTree.rootHash(treeSize: 0, reader: reader) == .emptyTreeRoot)
    }
}
