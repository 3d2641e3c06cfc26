import Foundation
import Logging
import MandateCore
import SQLKit
import Testing

@testable import MandateStore

/// The log's storage as tiles and bundles: keys whose hashes collide, and a log kept the earlier
/// way (a row per leaf and per stored hash) carried over by migration 009 unchanged.
@Suite struct TiledLogTests {
    typealias Fixture = TransparencyLogStoreTests

    @Test(arguments: TestDatabase.available)
    func aKeyWhoseHashAnotherKeyHoldsIsLoggedAndFound(database: TestDatabase) async throws {
        try await database.withStore { store in
            let first = try Fixture.fact(1)
            let second = try Fixture.fact(2)
            _ = try await store.database.transaction { db in
                try await SQLTransparencyLog.append([first], at: AppClock().now(), in: db)
            }
            // Make `second`'s hash name leaf 0, as another key with the same 64-bit hash would.
            try await store.database.transaction { db in
                try await db.update("log_keys").set("key_hash", to: LogKeys.hash(second.key)).run()
            }
            let indexes = try await store.database.transaction { db in
                try await SQLTransparencyLog.append(
                    [try Fixture.fact(3), second, try Fixture.fact(4)], at: AppClock().now(), in: db)
            }
            #expect(indexes == [1, 2, 3])
            #expect(try await store.log.entry(key: second.key)?.index == 2)
            #expect(try await store.log.entry(key: try Fixture.fact(4).key)?.index == 3)
            // Appending it again finds it through the overflow; an impostor under its key is refused.
            let again = try await store.database.transaction { db in
                try await SQLTransparencyLog.append([second, try Fixture.fact(5)], at: AppClock().now(), in: db)
            }
            #expect(again == [2, 4])
            let impostor = try PublishedFact(kind: .approvedValue, key: second.key, fields: ["value": "-2"])
            await #expect(throws: ValidationFailure.self) {
                try await store.database.transaction { db in try await store.log.append(impostor, in: db) }
            }
            #expect(try await store.log.size() == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEarlierLogIsCarriedOverAsStored(database: TestDatabase) async throws {
        try await database.withDatabase { db in
            try await Migrator(database: db, migrations: Array(Migrator.all.prefix(8)), logger: TestDatabase.logger)
                .migrate()
            // 600 leaves in the earlier layout, published at three moments.
            let facts = try (0..<600).map(Fixture.fact)
            let reference = MerkleTree(leafHashes: facts.map(\.leafHash))
            let times = ["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"]
            try await db.transaction { db in
                for batch in Array(facts.enumerated()).chunked(into: 100) {
                    var insert = db.insert(into: "log_entries")
                        .columns("idx", "fact_key", "kind", "data", "leaf_hash", "published_at")
                    for (index, fact) in batch {
                        insert = insert.values(
                            index, fact.key, fact.kind.rawValue, String(decoding: fact.canonicalBytes, as: UTF8.self),
                            fact.leafHash.hex, times[index < 250 ? 0 : index < 520 ? 1 : 2])
                    }
                    try await insert.run()
                }
                for batch in Array(reference.storedHashes.enumerated()).chunked(into: 500) {
                    var insert = db.insert(into: "log_hashes").columns("idx", "hash")
                    for (index, hash) in batch { insert = insert.values(index, hash.hex) }
                    try await insert.run()
                }
            }
            let store = Store(database: db)
            try await store.prepare(demo: false, logger: TestDatabase.logger)

            #expect(try await store.log.size() == 600)
            let all = Array(0..<StoredHashIndex.count(treeSize: 600))
            #expect(try await store.log.hashes(at: all) == (try reference.readHashes(at: all)))
            let entries = try await store.log.entries(in: 0..<600)
            #expect(entries.map(\.data) == facts.map(\.canonicalBytes))
            #expect(entries.map(\.key) == facts.map(\.key))
            #expect(entries[249].publishedAt == times[0] && entries[250].publishedAt == times[1])
            #expect(entries[599].publishedAt == times[2])
            let found = try await store.log.entry(key: facts[517].key)
            #expect(found?.index == 517 && found?.publishedAt == times[1] && found?.data == facts[517].canonicalBytes)
            #expect(found?.leafHash == facts[517].leafHash)
            // The log grows on from there, and a fact logged before is not logged again.
            let indexes = try await store.database.transaction { db in
                try await SQLTransparencyLog.append([facts[3], try Fixture.fact(600)], at: AppClock().now(), in: db)
            }
            #expect(indexes == [3, 600])
            var grown = reference
            grown.append(leafHash: try Fixture.fact(600).leafHash)
            #expect(
                try await store.log.hashes(at: [StoredHashIndex.count(treeSize: 601) - 1]) == [grown.storedHashes.last])
        }
    }
}
