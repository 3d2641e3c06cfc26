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
        var logged: [String: (index: UInt64, data: Data)] = [:]
        for row in try await loggedEntries(keys: facts.map(\.key), in: db) {
            logged[try row.decode(column: "fact_key", as: String.self)] = (
                UInt64(try row.decode(column: "idx", as: Int64.self)),
                Data(try row.decode(column: "data", as: String.self).utf8)
            )
        }
        enum Slot {
            case logged(UInt64)
            case fresh(Int)
        }
        var fresh: [PublishedFact] = []
        var freshPositions: [String: Int] = [:]
        var slots: [Slot] = []
        for fact in facts {
            let earlier = logged[fact.key]?.data ?? freshPositions[fact.key].map { fresh[$0].canonicalBytes }
            if let earlier, earlier != fact.canonicalBytes {
                throw ValidationFailure(field: "key", reason: "another fact is already logged as \(fact.key)")
            }
            if let index = logged[fact.key]?.index {
                slots.append(.logged(index))
            } else if let position = freshPositions[fact.key] {
                slots.append(.fresh(position))
            } else {
                freshPositions[fact.key] = fresh.count
                slots.append(.fresh(fresh.count))
                fresh.append(fact)
            }
        }
        let appended = try await appendNew(fresh, in: db)
        return slots.map { slot in
            switch slot {
            case .logged(let index): index
            case .fresh(let position): appended[position]
            }
        }
    }

    private static func appendNew(_ facts: [PublishedFact], in db: any SQLDatabase) async throws -> [UInt64] {
        guard !facts.isEmpty else { return [] }
        LogAppendMarker.current?.mark()
        if db.dialect.name == "postgresql" {
            // Delivered to every listening instance when (and only if) the transaction commits.
            try await db.raw("NOTIFY \(unsafeRaw: PostgresStoreDatabase.logChannel)").run()
        }
        let first = try await nextIndex(db)
        var written: [UInt64: MerkleHash] = [:]
        var entries: [NewEntry] = []
        entries.reserveCapacity(facts.count)
        for (offset, fact) in facts.enumerated() {
            let index = first + UInt64(offset)
            let leafHash = MerkleHash.leafHash(of: fact.canonicalBytes)
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
            entries.append(NewEntry(index: index, fact: fact, leafHash: leafHash))
        }
        // The new leaves' hashes fill the stored indexes from their first leaf's on, without a gap.
        let start = StoredHashIndex.index(level: 0, n: first)
        let fresh = written.filter { $0.key >= start }.sorted { $0.key < $1.key }.map(\.value)
        try await insert(entries, hashes: fresh, from: start, in: db)
        return entries.map(\.index)
    }

    /// The index the next leaf takes, which is the number of leaves: one past the largest index,
    /// read from the primary key's index (counting rows would read the whole table each time).
    /// A leaf deleted behind the log's back leaves a gap that the audit's entry bundles show.
    static func nextIndex(_ db: any SQLDatabase) async throws -> UInt64 {
        let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("idx")), as: "last")
            .from("log_entries").first(decodingColumn: "last", as: Int64?.self)
        return (last ?? nil).map { UInt64($0) + 1 } ?? 0
    }

    public func size() async throws -> UInt64 {
        try await database.read { try await Self.nextIndex($0) }
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

    public func leafData(in range: Range<UInt64>) async throws -> [(index: UInt64, data: Data)] {
        try await database.read { db in
            try await db.select().columns("idx", "data").from("log_entries")
                .where("idx", .greaterThanOrEqual, Int64(range.lowerBound))
                .where("idx", .lessThan, Int64(range.upperBound))
                .orderBy("idx").all().map { row in
                    (
                        UInt64(try row.decode(column: "idx", as: Int64.self)),
                        Data(try row.decode(column: "data", as: String.self).utf8)
                    )
                }
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
        let wanted = Set(indexes)
        func keep(_ rows: [any SQLRow]) throws {
            for row in rows {
                let index = UInt64(try row.decode(column: "idx", as: Int64.self))
                if wanted.contains(index) {
                    found[index] = MerkleHash(hex: try row.decode(column: "hash", as: String.self))
                }
            }
        }
        // Indexes close together (a tile, a run of leaves) are one range scan; scattered ones
        // (a proof) are looked up.
        if let low = wanted.min(), let high = wanted.max(), high - low < UInt64(wanted.count) * 4 + 64 {
            try keep(
                try await db.select().columns("idx", "hash").from("log_hashes")
                    .where("idx", .greaterThanOrEqual, Int64(low)).where("idx", .lessThanOrEqual, Int64(high)).all())
        } else {
            for batch in Array(wanted).chunked(into: 500) {
                try keep(
                    try await db.select().columns("idx", "hash").from("log_hashes")
                        .where("idx", .in, batch.map { Int64($0) }).all())
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
