import Crypto
import Foundation
import MandateCore
import SQLKit

/// The fact keys of the log: each key's 64-bit hash with its leaf (`log_keys`), or, for a key whose
/// hash another key holds, the key in full (`log_key_overflow`). A hash takes 8 bytes in the index
/// where a key takes 60 to 100, and its row is all a new leaf adds beside its share of a bundle and
/// a tile. Keys are recorded in hash order, so that a large append walks the index once.
enum LogKeys {
    /// The first eight bytes of the key's SHA-256, as a signed integer.
    static func hash(_ key: String) -> Int64 {
        var hasher = SHA256()
        var key = key
        key.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize().withUnsafeBytes { bytes in
            Int64(bitPattern: bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }

    /// The leaf `key` is recorded with in the overflow.
    static func overflow(_ key: String, in db: any SQLDatabase) async throws -> UInt64? {
        try await db.select().column("idx").from("log_key_overflow").where("fact_key", .equal, key)
            .first(decodingColumn: "idx", as: Int64.self).map(UInt64.init)
    }

    /// Gives each of `facts` (distinct keys, whose hashes are `hashes`) its leaf: a fact logged
    /// before keeps its leaf (a different fact under a logged key is refused), the others take
    /// `size`, `size + 1`, … in order. Records the new keys; returns every fact's leaf and which
    /// facts are new.
    static func place(
        _ facts: [PublishedFact], hashes: [Int64], from size: UInt64, in db: any SQLDatabase
    ) async throws -> (indexes: [UInt64], fresh: [Int]) {
        var indexes = (0..<UInt64(facts.count)).map { size + $0 }
        // Most often every key is new: its hash is recorded with the leaf it is likely to take.
        let taken = try await insert(hashes: hashes, indexes: indexes, positions: Array(facts.indices), in: db)
        guard !taken.isEmpty else { return (indexes, Array(facts.indices)) }

        // A taken hash is held by this very fact logged before, or by another key (then the fact's
        // key is looked for, and goes, in the overflow).
        let holders = try await holders(of: taken.map { hashes[$0] }, in: db)
        var logged: [Int: UInt64] = [:]
        var unhashed = Set<Int>()
        for position in taken {
            let fact = facts[position]
            var earlier: [UInt64] = []
            if let holder = holders[hashes[position]], holder < size { earlier.append(holder) }
            if let index = try await overflow(fact.key, in: db) { earlier.append(index) }
            var found = false
            for index in earlier {
                guard let data = try await BundleRows(db: db).leafData(in: index..<(index + 1)).first?.data,
                    SQLTransparencyLog.key(of: data) == fact.key
                else { continue }
                guard data == fact.canonicalBytes else {
                    throw ValidationFailure(field: "key", reason: "another fact is already logged as \(fact.key)")
                }
                logged[position] = index
                found = true
                break
            }
            if !found { unhashed.insert(position) }
        }
        var fresh = Array(facts.indices)
        if !logged.isEmpty {
            // The new facts close ranks behind those logged before: their keys go in again.
            let held = Set(taken)
            let recorded = facts.indices.filter { !held.contains($0) }
            try await delete(hashes: recorded.map { hashes[$0] }, in: db)
            fresh = facts.indices.filter { logged[$0] == nil }
            for (offset, position) in fresh.enumerated() { indexes[position] = size + UInt64(offset) }
            for (position, index) in logged { indexes[position] = index }
            let again = fresh.filter { !unhashed.contains($0) }
            let retaken = try await insert(
                hashes: again.map { hashes[$0] }, indexes: again.map { indexes[$0] }, positions: again, in: db)
            guard retaken.isEmpty else {
                throw ValidationFailure(field: "key", reason: "the log's keys changed while facts were appended")
            }
        }
        for position in unhashed.sorted() {
            try await db.insert(into: "log_key_overflow").columns("fact_key", "idx")
                .values(facts[position].key, Int64(indexes[position])).run()
        }
        return (indexes, fresh)
    }

    /// Records the keys of leaves `first`, `first + 1`, … (keys that are not logged yet).
    static func record(_ keys: [String], from first: UInt64, in db: any SQLDatabase) async throws {
        let indexes = (0..<UInt64(keys.count)).map { first + $0 }
        for position in try await insert(
            hashes: keys.map(hash), indexes: indexes, positions: Array(keys.indices), in: db)
        {
            try await db.insert(into: "log_key_overflow").columns("fact_key", "idx")
                .values(keys[position], Int64(indexes[position])).run()
        }
    }

    /// Records `hashes[i]` → `indexes[i]`; returns the `positions` whose hash was held already.
    private static func insert(
        hashes: [Int64], indexes: [UInt64], positions: [Int], in db: any SQLDatabase
    ) async throws -> [Int] {
        if let handle = (db as? SQLiteSession)?.handle {
            return try await NewKeyRows.insert(hashes: hashes, indexes: indexes, handle: handle).map { positions[$0] }
        }
        var taken: [Int] = []
        for batch in Array(hashes.indices).chunked(into: 1000) {
            var insert = db.insert(into: "log_keys").columns("key_hash", "idx")
            for row in batch { insert = insert.values(hashes[row], Int64(indexes[row])) }
            let rows = try await insert.ignoringConflicts(with: ["key_hash"]).returning("key_hash", "idx").all()
            // Each row of a call has its own leaf, which tells the inserted rows apart.
            let inserted = Set(try rows.map { try $0.decode(column: "idx", as: Int64.self) })
            taken += batch.filter { !inserted.contains(Int64(indexes[$0])) }.map { positions[$0] }
        }
        return taken
    }

    /// The leaf each of `hashes` is recorded with.
    private static func holders(of hashes: [Int64], in db: any SQLDatabase) async throws -> [Int64: UInt64] {
        var holders: [Int64: UInt64] = [:]
        for batch in Array(Set(hashes)).chunked(into: 1000) {
            for row in try await db.select().columns("key_hash", "idx").from("log_keys")
                .where("key_hash", .in, Array(batch)).all()
            {
                holders[try row.decode(column: "key_hash", as: Int64.self)] = UInt64(
                    try row.decode(column: "idx", as: Int64.self))
            }
        }
        return holders
    }

    private static func delete(hashes: [Int64], in db: any SQLDatabase) async throws {
        for batch in hashes.chunked(into: 1000) {
            try await db.delete(from: "log_keys").where("key_hash", .in, Array(batch)).run()
        }
    }
}
