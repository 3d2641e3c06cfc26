import Foundation
import MandateCore
import SQLKit

/// `TransparencyLogRepository` on SQLite or PostgreSQL, storing hashes in the tlog layout so
/// that roots, proofs and tiles are read in one batch each.
public struct SQLTransparencyLog: TransparencyLogRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    public func append(_ fact: PublishedFact, in db: any SQLDatabase) async throws -> UInt64 {
        try await Self.append([fact], in: db).first ?? 0
    }

    /// Appends facts as consecutive leaves inside the caller's transaction; returns their indexes.
    /// Hashes a batch computes are kept at hand, so only older siblings are read back.
    /// A fact already logged with the very same bytes is not logged twice (its existing index is
    /// returned); a different fact under a logged key is refused.
    public static func append(_ facts: [PublishedFact], in db: any SQLDatabase) async throws -> [UInt64] {
        guard !facts.isEmpty else { return [] }
        if db.dialect.name == "postgresql" {
            // Appends take turns; SQLite's single writer already serialises them.
            try await db.raw("SELECT pg_advisory_xact_lock(5757010)").run()
        }
        var logged: [String: (UInt64, String)] = [:]
        for batch in Array(Set(facts.map(\.key))).chunked(into: 500) {
            for row in try await db.select().columns("idx", "fact_key", "data").from("log_entries")
                .where("fact_key", .in, Array(batch)).all()
            {
                logged[try row.decode(column: "fact_key", as: String.self)] = (
                    UInt64(try row.decode(column: "idx", as: Int64.self)),
                    try row.decode(column: "data", as: String.self)
                )
            }
        }
        var fresh: [PublishedFact] = []
        var indexes: [UInt64?] = []
        for fact in facts {
            if let (index, data) = logged[fact.key] {
                guard data == String(decoding: fact.canonicalBytes, as: UTF8.self) else {
                    throw ValidationFailure(field: "key", reason: "another fact is already logged as \(fact.key)")
                }
                indexes.append(index)
            } else {
                indexes.append(nil)
                fresh.append(fact)
                logged[fact.key] = (0, String(decoding: fact.canonicalBytes, as: UTF8.self))
            }
        }
        let appended = try await appendNew(fresh, in: db)
        var next = appended.makeIterator()
        return indexes.map { $0 ?? next.next() ?? 0 }
    }

    private static func appendNew(_ facts: [PublishedFact], in db: any SQLDatabase) async throws -> [UInt64] {
        guard !facts.isEmpty else { return [] }
        let first = try await size(db)
        let now = Timestamp.now()
        var written: [UInt64: MerkleHash] = [:]
        var entries: [[any Encodable & Sendable]] = []
        var indexes: [UInt64] = []
        for (offset, fact) in facts.enumerated() {
            let index = first + UInt64(offset)
            let data = fact.canonicalBytes
            let leafHash = MerkleHash.leafHash(of: data)
            let wanted = try StoredMerkleTree.siblingIndexes(forNewLeafAt: index)
            let missing = wanted.filter { written[$0] == nil }
            if !missing.isEmpty {
                let read = try await HashReader(db: db).readHashes(at: missing)
                for (stored, hash) in zip(missing, read) { written[stored] = hash }
            }
            let hashes = try StoredMerkleTree.storedHashes(
                forNewLeaf: leafHash, at: index, siblings: wanted.compactMap { written[$0] })
            let base = StoredHashIndex.index(level: 0, n: index)
            for (step, hash) in hashes.enumerated() { written[base + UInt64(step)] = hash }
            entries.append([
                Int64(index), fact.key, fact.kind.rawValue, String(decoding: data, as: UTF8.self), leafHash.hex, now,
            ])
            indexes.append(index)
        }
        for batch in entries.chunked(into: 500) {
            var insert = db.insert(into: "log_entries")
                .columns("idx", "fact_key", "kind", "data", "leaf_hash", "published_at")
            for row in batch { insert = insert.values(row) }
            try await insert.run()
        }
        let fresh = written.filter { $0.key >= StoredHashIndex.index(level: 0, n: first) }.sorted { $0.key < $1.key }
        for batch in fresh.chunked(into: 1000) {
            var insert = db.insert(into: "log_hashes").columns("idx", "hash")
            for (index, hash) in batch { insert = insert.values(Int64(index), hash.hex) }
            try await insert.run()
        }
        return indexes
    }

    static func size(_ db: any SQLDatabase) async throws -> UInt64 {
        let count = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("log_entries").first(decodingColumn: "n", as: Int64.self)
        return UInt64(count ?? 0)
    }

    public func size() async throws -> UInt64 {
        try await database.read { try await Self.size($0) }
    }

    public func hashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        try await database.read { try await HashReader(db: $0).readHashes(at: indexes) }
    }

    public func entries(in range: Range<UInt64>) async throws -> [LogEntry] {
        try await database.read { db in
            try await db.select().columns("idx", "fact_key", "data", "leaf_hash", "published_at").from("log_entries")
                .where("idx", .greaterThanOrEqual, Int64(range.lowerBound))
                .where("idx", .lessThan, Int64(range.upperBound))
                .orderBy("idx").all().map(Self.entry)
        }
    }

    public func entry(key: String) async throws -> LogEntry? {
        try await database.read { db in
            try await db.select().columns("idx", "fact_key", "data", "leaf_hash", "published_at").from("log_entries")
                .where("fact_key", .equal, key).first().map(Self.entry)
        }
    }

    static func entry(_ row: any SQLRow) throws -> LogEntry {
        let hex = try row.decode(column: "leaf_hash", as: String.self)
        guard let hash = MerkleHash(hex: hex) else { throw MerkleError.malformedHash(byteCount: hex.utf8.count / 2) }
        return LogEntry(
            index: UInt64(try row.decode(column: "idx", as: Int64.self)),
            key: try row.decode(column: "fact_key", as: String.self),
            data: Data(try row.decode(column: "data", as: String.self).utf8), leafHash: hash,
            publishedAt: try row.decode(column: "published_at", as: String.self))
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await database.read { db in
            try await db.select().columns("size", "root", "note", "signed_at").from("log_checkpoints")
                .orderBy("size", .descending).limit(1).first().map(Self.checkpoint)
        }
    }

    public func checkpoint(size: UInt64) async throws -> StoredCheckpoint? {
        try await database.read { db in
            try await db.select().columns("size", "root", "note", "signed_at").from("log_checkpoints")
                .where("size", .equal, Int64(size)).first().map(Self.checkpoint)
        }
    }

    static func checkpoint(_ row: any SQLRow) throws -> StoredCheckpoint {
        guard let root = MerkleHash(hex: try row.decode(column: "root", as: String.self)) else {
            throw MerkleError.malformedHash(byteCount: 0)
        }
        return StoredCheckpoint(
            size: UInt64(try row.decode(column: "size", as: Int64.self)), root: root,
            note: try row.decode(column: "note", as: String.self),
            signedAt: try row.decode(column: "signed_at", as: String.self))
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws -> Bool {
        try await database.transaction { db in
            let existing = try await db.select().column("size").from("log_checkpoints")
                .where("size", .equal, Int64(checkpoint.size)).first()
            if existing != nil { return false }
            try await db.insert(into: "log_checkpoints").columns("size", "root", "note", "signed_at")
                .values(Int64(checkpoint.size), checkpoint.root.hex, checkpoint.note, checkpoint.signedAt).run()
            return true
        }
    }
}

/// Reads stored hashes through one connection (inside a transaction, or a read).
struct HashReader: AsyncMerkleHashReader {
    let db: any SQLDatabase

    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        var found: [UInt64: MerkleHash] = [:]
        for batch in Array(Set(indexes)).chunked(into: 500) {
            let rows = try await db.select().columns("idx", "hash").from("log_hashes")
                .where("idx", .in, batch.map { Int64($0) }).all()
            for row in rows {
                let index = UInt64(try row.decode(column: "idx", as: Int64.self))
                found[index] = MerkleHash(hex: try row.decode(column: "hash", as: String.self))
            }
        }
        return try indexes.map { index in
            guard let hash = found[index] else {
                throw MerkleError.hashReaderCountMismatch(requested: indexes.count, returned: found.count)
            }
            return hash
        }
    }
}
