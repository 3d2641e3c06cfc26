import Foundation
import MandateCore
import SQLKit

/// `TransparencyLogRepository` on SQLite or PostgreSQL, stored as the log is served (C2SP
/// tlog-tiles): entry bundles and hash tiles of 256 each, so that a leaf costs a share of two
/// rows and a key, and a root, a proof or a tile is a few rows read.
///
/// Tables (migration 009):
/// - `log_bundles`: entry bundle `idx` (leaves `256·idx …`) with its `width` and bytes;
/// - `log_tiles`: hash tile (`level`, `idx`) with its `width` and hashes;
/// - `log_keys`: each fact key's 64-bit hash and its leaf; `log_key_overflow`: a key whose hash
///   another key holds, in full;
/// - `log_appends`: each append's first leaf and time;
/// - `log_checkpoints`: the signed checkpoints.
///
/// The last bundle and the last tile of each level are partial and are rewritten as they grow;
/// the bytes they held stay as they were.
public struct SQLTransparencyLog: TransparencyLogRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    public func append(_ fact: PublishedFact, in db: any SQLDatabase) async throws -> UInt64 {
        try await Self.append([fact], at: database.clock.now(), in: db).first ?? 0
    }

    public func size() async throws -> UInt64 {
        try await database.read { try await Self.storedSize($0) }
    }

    /// The number of leaves: the leaves up to the end of the last entry bundle.
    static func storedSize(_ db: any SQLDatabase) async throws -> UInt64 {
        guard
            let last = try await db.select().columns("idx", "width").from("log_bundles")
                .orderBy("idx", .descending).limit(1).first()
        else { return 0 }
        return UInt64(try last.decode(column: "idx", as: Int64.self)) * UInt64(Tile.fullWidth)
            + UInt64(try last.decode(column: "width", as: Int64.self))
    }

    public func hashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        try await database.read { try await TileRows(db: $0).readHashes(at: indexes) }
    }

    public func leafHashes(in range: Range<UInt64>) async throws -> [MerkleHash] {
        try await database.read { try await TileRows(db: $0).leafHashes(in: range) }
    }

    public func tileData(_ tile: Tile) async throws -> Data? {
        try await database.read { db in
            try await TileRows(db: db).tiles(level: tile.level, indexes: [tile.index])[tile.index]
                .flatMap {
                    $0.count >= tile.width * MerkleHash.byteCount ? $0.prefix(tile.width * MerkleHash.byteCount) : nil
                }
        }
    }

    public func bundleData(_ tile: Tile) async throws -> Data? {
        try await database.read { db in
            guard let stored = try await BundleRows(db: db).bundles(tile.index..<(tile.index + 1))[tile.index] else {
                return nil
            }
            let entries = try EntryBundle(data: stored).entries
            return entries.count >= tile.width ? try EntryBundle(entries: Array(entries.prefix(tile.width))).data : nil
        }
    }

    public func entries(in range: Range<UInt64>) async throws -> [LogEntry] {
        try await database.read { try await Self.entries(in: range, db: $0) }
    }

    static func entries(in range: Range<UInt64>, db: any SQLDatabase) async throws -> [LogEntry] {
        let data = try await BundleRows(db: db).leafData(in: range)
        guard let first = data.first?.index, let last = data.last?.index else { return [] }
        let hashes = try await TileRows(db: db).leafHashes(in: first..<(last + 1))
        let times = try await appendTimes(from: first, through: last, db: db)
        return try data.map { leaf in
            let offset = Int(leaf.index - first)
            guard offset < hashes.count else {
                throw MerkleError.hashReaderCountMismatch(requested: data.count, returned: hashes.count)
            }
            let time = times.last { $0.first <= leaf.index }?.at ?? ""
            return LogEntry(
                index: leaf.index, key: Self.key(of: leaf.data) ?? "", data: leaf.data, leafHash: hashes[offset],
                publishedAt: time)
        }
    }

    /// The appends that put leaves `first` to `last` in, by their first leaf, in order.
    static func appendTimes(
        from first: UInt64, through last: UInt64, db: any SQLDatabase
    ) async throws -> [(first: UInt64, at: String)] {
        try await db.raw(
            """
            SELECT first, published_at FROM log_appends
            WHERE first >= COALESCE((SELECT MAX(first) FROM log_appends WHERE first <= \(bind: Int64(first))), 0)
            AND first <= \(bind: Int64(last)) ORDER BY first
            """
        ).all().map {
            (
                UInt64(try $0.decode(column: "first", as: Int64.self)),
                try $0.decode(column: "published_at", as: String.self)
            )
        }
    }

    public func leafData(in range: Range<UInt64>) async throws -> [(index: UInt64, data: Data)] {
        try await database.read { try await BundleRows(db: $0).leafData(in: range) }
    }

    public func entry(key: String) async throws -> LogEntry? {
        try await database.read { db in
            // The leaf the key's hash names, or else the one the overflow names.
            let named: [SQLQueryString] = [
                "SELECT idx FROM log_keys WHERE key_hash = \(bind: LogKeys.hash(key))",
                "SELECT idx FROM log_key_overflow WHERE fact_key = \(bind: key)",
            ]
            for index in named {
                if let entry = try await Self.entry(at: index, db: db), entry.key == key { return entry }
            }
            return nil
        }
    }

    /// The leaf at the index `index` selects (one `idx`), read with its bundle, its level-0 tile
    /// and its time in one query: a proof by key is a few round trips in all.
    static func entry(at index: SQLQueryString, db: any SQLDatabase) async throws -> LogEntry? {
        guard
            let row = try await db.raw(
                """
                SELECT l.idx AS idx, b.data AS data, t.hashes AS hashes,
                (SELECT published_at FROM log_appends WHERE first <= l.idx ORDER BY first DESC LIMIT 1) AS published_at
                FROM (\(index)) AS l
                JOIN log_bundles b ON b.idx = l.idx / \(literal: Tile.fullWidth)
                JOIN log_tiles t ON t.level = 0 AND t.idx = l.idx / \(literal: Tile.fullWidth)
                """
            ).first()
        else { return nil }
        let leaf = UInt64(try row.decode(column: "idx", as: Int64.self))
        let position = Int(leaf % UInt64(Tile.fullWidth))
        let hashes = try row.decode(column: "hashes", as: Data.self)
        guard
            let data = try EntryBundle.entries(
                in: try row.decode(column: "data", as: Data.self), at: position..<(position + 1)
            ).first,
            hashes.count >= (position + 1) * MerkleHash.byteCount,
            let hash = TileRows.hashes(hashes, position..<(position + 1)).first
        else { return nil }
        return LogEntry(
            index: leaf, key: key(of: data) ?? "", data: data, leafHash: hash,
            publishedAt: try row.decode(column: "published_at", as: String?.self) ?? "")
    }

    /// The key in a leaf's bytes (a fact's canonical JSON); nil for bytes that are not a fact.
    static func key(of data: Data) -> String? {
        struct Keyed: Decodable { let key: String }
        return try? JSONDecoder().decode(Keyed.self, from: data).key
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
            ChangeRecorder.note([.checkpoint])
            let existing = try await db.select().column("size").from("log_checkpoints")
                .where("size", .equal, Int64(checkpoint.size)).first()
            if existing != nil { return false }
            try await db.insert(into: "log_checkpoints").columns("size", "root", "note", "signed_at")
                .values(Int64(checkpoint.size), checkpoint.root.hex, checkpoint.note, checkpoint.signedAt).run()
            return true
        }
    }
}
