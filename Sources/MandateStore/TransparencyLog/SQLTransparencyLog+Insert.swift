import Foundation
import MandateCore
import SQLKit

/// A leaf about to be stored.
struct NewEntry {
    let index: UInt64
    let fact: PublishedFact
    let leafHash: MerkleHash
}

extension SQLTransparencyLog {
    /// Rows per statement: SQLite's JSON arrays hold many; bound rows stay under PostgreSQL's
    /// 65,535 parameters.
    static let jsonRowsPerStatement = 5000
    static let boundEntriesPerStatement = 500
    static let boundHashesPerStatement = 1000

    /// The stored rows (`idx`, `fact_key`, `data`) of those of `keys` that are logged already.
    static func loggedEntries(keys: [String], in db: any SQLDatabase) async throws -> [any SQLRow] {
        let keys = Array(Set(keys))
        var rows: [any SQLRow] = []
        if db.dialect.name == "sqlite" {
            for batch in keys.chunked(into: jsonRowsPerStatement) {
                var json: [UInt8] = [UInt8(ascii: "[")]
                for (position, key) in batch.enumerated() {
                    if position > 0 { json.append(UInt8(ascii: ",")) }
                    CanonicalJSON.string(key, into: &json)
                }
                json.append(UInt8(ascii: "]"))
                rows += try await db.raw(
                    """
                    SELECT idx, fact_key, data FROM log_entries
                    WHERE fact_key IN (SELECT value FROM json_each(\(bind: String(decoding: json, as: UTF8.self))))
                    """
                ).all()
            }
            return rows
        }
        for batch in keys.chunked(into: boundEntriesPerStatement) {
            rows += try await db.select().columns("idx", "fact_key", "data").from("log_entries")
                .where("fact_key", .in, Array(batch)).all()
        }
        return rows
    }

    /// Stores the entries and the hashes they add (the stored indexes from `start` on).
    static func insert(
        _ entries: [NewEntry], hashes: [MerkleHash], from start: UInt64, in db: any SQLDatabase
    ) async throws {
        let now = Timestamp.now()
        if db.dialect.name == "sqlite" {
            try await insertAsJSON(entries, hashes: hashes, from: start, at: now, in: db)
            return
        }
        for batch in entries.chunked(into: boundEntriesPerStatement) {
            var insert = db.insert(into: "log_entries")
                .columns("idx", "fact_key", "kind", "data", "leaf_hash", "published_at")
            for entry in batch {
                insert = insert.values(
                    Int64(entry.index), entry.fact.key, entry.fact.kind.rawValue,
                    String(decoding: entry.fact.canonicalBytes, as: UTF8.self), entry.leafHash.hex, now)
            }
            try await insert.run()
        }
        for (offset, batch) in hashes.chunked(into: boundHashesPerStatement).enumerated() {
            var insert = db.insert(into: "log_hashes").columns("idx", "hash")
            for (position, hash) in batch.enumerated() {
                insert = insert.values(Int64(start) + Int64(offset * boundHashesPerStatement + position), hash.hex)
            }
            try await insert.run()
        }
    }

    /// On SQLite, each statement binds one JSON array of rows that `json_each` expands: binding
    /// every value of thousands of rows one by one costs more than storing them.
    private static func insertAsJSON(
        _ entries: [NewEntry], hashes: [MerkleHash], from start: UInt64, at now: String, in db: any SQLDatabase
    ) async throws {
        for batch in entries.chunked(into: jsonRowsPerStatement) {
            guard let first = batch.first else { continue }
            var json: [UInt8] = [UInt8(ascii: "[")]
            json.reserveCapacity(batch.count * (first.fact.canonicalBytes.count * 9 / 8 + 160))
            for (position, entry) in batch.enumerated() {
                json.append(contentsOf: position == 0 ? Array("[".utf8) : Array(",[".utf8))
                CanonicalJSON.string(entry.fact.key, into: &json)
                json.append(UInt8(ascii: ","))
                CanonicalJSON.string(entry.fact.kind.rawValue, into: &json)
                json.append(UInt8(ascii: ","))
                CanonicalJSON.string(utf8: entry.fact.canonicalBytes, into: &json)
                json.append(UInt8(ascii: ","))
                CanonicalJSON.string(entry.leafHash.hex, into: &json)
                json.append(UInt8(ascii: "]"))
            }
            json.append(UInt8(ascii: "]"))
            let rows = String(decoding: json, as: UTF8.self)
            try await db.raw(
                """
                INSERT INTO log_entries (idx, fact_key, kind, data, leaf_hash, published_at)
                SELECT \(bind: Int64(first.index)) + key, json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                json_extract(value, '$[2]'), json_extract(value, '$[3]'), \(bind: now) FROM json_each(\(bind: rows))
                """
            ).run()
        }
        for (offset, batch) in hashes.chunked(into: jsonRowsPerStatement * 2).enumerated() {
            var json: [UInt8] = [UInt8(ascii: "[")]
            json.reserveCapacity(batch.count * 67 + 2)
            for (position, hash) in batch.enumerated() {
                if position > 0 { json.append(UInt8(ascii: ",")) }
                CanonicalJSON.string(hash.hex, into: &json)
            }
            json.append(UInt8(ascii: "]"))
            let first = Int64(start) + Int64(offset * jsonRowsPerStatement * 2)
            try await db.raw(
                """
                INSERT INTO log_hashes (idx, hash)
                SELECT \(bind: first) + key, value FROM json_each(\(bind: String(decoding: json, as: UTF8.self)))
                """
            ).run()
        }
    }
}
