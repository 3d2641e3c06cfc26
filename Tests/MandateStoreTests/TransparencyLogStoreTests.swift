import Foundation
import MandateCore
import MandateStore
import SQLKit
import Testing

@Suite struct TransparencyLogStoreTests {
    static func fact(_ number: Int) throws -> PublishedFact {
        try PublishedFact(
            kind: .approvedValue, key: "approved-value/T-\(number)",
            fields: ["indicator": "T", "unit": "01", "period": "2026Q1", "value": "\(number)"])
    }

    struct Reader: AsyncMerkleHashReader {
        let log: any TransparencyLogRepository
        func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] { try await log.hashes(at: indexes) }
    }

    @Test(arguments: TestDatabase.available)
    func appendedFactsGiveTheSameTreeAsTheDefinition(database: TestDatabase) async throws {
        try await database.withStore { store in
            var reference = MerkleTree()
            for number in 0..<37 {
                let fact = try Self.fact(number)
                let index = try await store.database.transaction { db in try await store.log.append(fact, in: db) }
                #expect(index == UInt64(number))
                reference.append(leafData: fact.canonicalBytes)
            }
            #expect(try await store.log.size() == 37)
            let reader = Reader(log: store.log)
            for size in [1, 2, 7, 8, 16, 33, 37] as [UInt64] {
                let stored = try await StoredMerkleTree.rootHash(treeSize: size, reader: reader)
                #expect(stored == (try reference.rootHash(treeSize: size)))
            }
            let root = reference.rootHash
            for leaf in [0, 5, 31, 36] as [UInt64] {
                let proof = try await StoredMerkleTree.inclusionProof(leafIndex: leaf, treeSize: 37, reader: reader)
                try MerkleVerifier.verifyInclusion(
                    leafIndex: leaf, treeSize: 37, leafHash: try reference.leafHash(at: leaf), proof: proof, root: root)
            }
            let entry = try #require(try await store.log.entry(key: "approved-value/T-5"))
            let expected = try Self.fact(5)
            #expect(entry.index == 5 && PublishedFact(canonicalBytes: entry.data) == expected)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRolledBackPublicationLeavesNoLeaf(database: TestDatabase) async throws {
        try await database.withStore { store in
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await store.database.transaction { db in
                    _ = try await store.log.append(try Self.fact(1), in: db)
                    throw Abort()
                }
            }
            let size = try await store.log.size()
            #expect(size == 0)
            // The same fact is logged once; another fact under a logged key is refused.
            _ = try await store.database.transaction { db in try await store.log.append(try Self.fact(1), in: db) }
            let again = try await store.database.transaction { db in
                try await store.log.append(try Self.fact(1), in: db)
            }
            #expect(again == 0)
            let impostor = try PublishedFact(kind: .approvedValue, key: "approved-value/T-1", fields: ["value": "-1"])
            await #expect(throws: ValidationFailure.self) {
                try await store.database.transaction { db in try await store.log.append(impostor, in: db) }
            }
            let after = try await store.log.size()
            #expect(after == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentPublicationsGetDistinctLeaves(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await withThrowingTaskGroup(of: UInt64.self) { group in
                for number in 0..<24 {
                    group.addTask {
                        try await store.database.transaction { db in
                            try await store.log.append(try Self.fact(number), in: db)
                        }
                    }
                }
                var indexes: [UInt64] = []
                for try await index in group { indexes.append(index) }
                #expect(indexes.sorted() == Array(0..<24))
            }
            let entries = try await store.log.entries(in: 0..<24)
            let root = try await StoredMerkleTree.rootHash(treeSize: 24, reader: Reader(log: store.log))
            #expect(root == MerkleTree.rootHash(leafHashes: entries.map(\.leafHash)))
        }
    }
}
