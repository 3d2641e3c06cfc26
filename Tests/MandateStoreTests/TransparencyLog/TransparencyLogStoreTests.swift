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

    @Test(arguments: TestDatabase.available)
    func aBatchLargerThanOneStatementGivesTheSameTreeAndTheExactBytes(database: TestDatabase) async throws {
        try await database.withStore { store in
            // Text that JSON and SQL both treat specially must come back byte for byte.
            let odd = try PublishedFact(
                kind: .approvedValue, key: "approved-value/\"quoted\"/\\/'single'",
                fields: ["value": "a\u{1}b\tc\n\"d\"\\e/f 'g' Hà Nội 😀 \u{2028}", "unit": "01"])
            let first = try await store.database.transaction { db in
                try await SQLTransparencyLog.append([try Self.fact(0), odd], at: AppClock().now(), in: db)
            }
            #expect(first == [0, 1])
            var facts = try (1..<12_345).map(Self.fact)
            // A fact logged already, and one repeated within the batch, keep a single leaf each.
            facts.insert(odd, at: 100)
            facts.insert(try Self.fact(7), at: 200)
            let batch = facts
            let indexes = try await store.database.transaction { db in
                try await SQLTransparencyLog.append(batch, at: AppClock().now(), in: db)
            }
            // Facts 1 to 12,344 are new; the two facts logged before make 12,346 leaves.
            let seven = try #require(facts.firstIndex(of: try Self.fact(7)))
            #expect(indexes[100] == 1)
            #expect(indexes[200] == indexes[seven] && seven != 200)
            #expect(Set(indexes).count == 12_344 + 1)
            let size = try await store.log.size()
            #expect(size == 12_346)
            let entries = try await store.log.entries(in: 0..<size)
            #expect(entries[1].data == odd.canonicalBytes && entries[1].key == odd.key)
            #expect(entries.map(\.leafHash) == entries.map { MerkleHash.leafHash(of: $0.data) })
            var reference = MerkleTree()
            for entry in entries { reference.append(leafData: entry.data) }
            let reader = Reader(log: store.log)
            for treeSize in [2, 5_002, 10_001, 12_346] as [UInt64] {
                let stored = try await StoredMerkleTree.rootHash(treeSize: treeSize, reader: reader)
                #expect(stored == (try reference.rootHash(treeSize: treeSize)), "root of \(treeSize) leaves")
            }
            let hashes = try await store.log.hashes(at: Array(0..<StoredHashIndex.count(treeSize: size)))
            #expect(hashes == (try reference.readHashes(at: Array(0..<StoredHashIndex.count(treeSize: size)))))
        }
    }
}
