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
        if database.flavor == .postgres {
            // Appends take turns; SQLite's single writer already serialises them.
            try await db.raw("SELECT pg_advisory_xact_lock(5757010)").run()
        }
        let index = try await Self.size(db)
        let data = fact.canonicalBytes
        let leafHash = MerkleHash.leafHash(of: data)
        let hashes = try await StoredMerkleTree.storedHashes(
            forNewLeaf: leafHash, at: index, reader: HashReader(db: db))
        try await db.insert(into: "log_entries")
            .columns("idx", "fact_key", "kind", "data", "leaf_hash", "published_at")
            .values(
                Int64(index), fact.key, fact.kind.rawValue, String(decoding: data, as: UTF8.self), leafHash.hex,
                Timestamp.now()
            )
            .run()
        var insert = db.insert(into: "log_hashes").columns("idx", "hash")
        let first = StoredHashIndex.index(level: 0, n: index)
        for (offset, hash) in hashes.enumerated() {
            insert = insert.values(Int64(first + UInt64(offset)), hash.hex)
        }
        try await insert.run()
        return index
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
