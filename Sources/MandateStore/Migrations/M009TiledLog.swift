import Foundation
import MandateCore
import SQLKit

/// The transparency log stored as it is served: entry bundles and hash tiles of 256, and a 64-bit
/// hash per fact key, instead of a row per leaf and two per stored hash (see `SQLTransparencyLog`).
/// A log kept the earlier way is copied over as it was stored — its leaves' bytes and its stored
/// hashes, not hashes computed again — so the tree it signed stays the tree it serves.
struct M009TiledLog: Migration {
    let name = "009-tiled-log"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(table: "log_bundles")
            .column("idx", type: .bigint, .primaryKey(autoIncrement: false))
            .column("width", type: .int, .notNull)
            .column("data", type: .blob, .notNull)
            .run()
        try await db.create(table: "log_tiles")
            .column("level", type: .int, .notNull)
            .column("idx", type: .bigint, .notNull)
            .column("width", type: .int, .notNull)
            .column("hashes", type: .blob, .notNull)
            .primaryKey(["level", "idx"])
            .run()
        try await db.create(table: "log_keys")
            .column("key_hash", type: .bigint, .primaryKey(autoIncrement: false))
            .column("idx", type: .bigint, .notNull)
            .run()
        try await db.create(table: "log_key_overflow")
            .column("fact_key", type: .text, .primaryKey(autoIncrement: false))
            .column("idx", type: .bigint, .notNull)
            .run()
        try await db.create(table: "log_appends")
            .column("first", type: .bigint, .primaryKey(autoIncrement: false))
            .column("published_at", type: ColumnType.timestamp, .notNull)
            .run()
        try await copyEarlierLog(db)
        try await db.drop(table: "log_entries").run()
        try await db.drop(table: "log_hashes").run()
    }

    private func copyEarlierLog(_ db: any SQLDatabase) async throws {
        let size =
            try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("idx")), as: "last")
            .from("log_entries").first(decodingColumn: "last", as: Int64?.self).flatMap { $0.map { UInt64($0) + 1 } }
            ?? 0
        guard size > 0 else { return }
        let width = UInt64(Tile.fullWidth)
        var lastTime: String?
        for bundleIndex in 0..<((size + width - 1) / width) {
            let leaves = (bundleIndex * width)..<min(size, (bundleIndex + 1) * width)
            let rows = try await db.select().columns("idx", "fact_key", "data", "published_at").from("log_entries")
                .where("idx", .greaterThanOrEqual, Int64(leaves.lowerBound))
                .where("idx", .lessThan, Int64(leaves.upperBound)).orderBy("idx").all()
            var entries: [Data] = []
            var keys: [String] = []
            for (offset, row) in rows.enumerated() {
                guard try row.decode(column: "idx", as: Int64.self) == Int64(leaves.lowerBound) + Int64(offset) else {
                    throw TileError.malformedData("leaf \(leaves.lowerBound + UInt64(offset)) is missing from the log")
                }
                entries.append(Data(try row.decode(column: "data", as: String.self).utf8))
                keys.append(try row.decode(column: "fact_key", as: String.self))
                let time = try row.decode(column: "published_at", as: String.self)
                if time != lastTime {
                    try await db.insert(into: "log_appends").columns("first", "published_at")
                        .values(Int64(leaves.lowerBound) + Int64(offset), time).run()
                    lastTime = time
                }
            }
            try await db.insert(into: "log_bundles").columns("idx", "width", "data")
                .values(Int64(bundleIndex), entries.count, try EntryBundle(entries: entries).data).run()
            try await LogKeys.record(keys, from: leaves.lowerBound, in: db)
        }
        for tile in try Tile.tiles(treeSize: size) {
            let indexes = tile.storedHashIndexes
            var hashes: [Int64: String] = [:]
            let query = db.select().columns("idx", "hash").from("log_hashes")
            // A level-0 tile's hashes lie close together; a higher tile's, far apart.
            let rows =
                tile.level == 0
                ? try await query.where("idx", .greaterThanOrEqual, Int64(indexes[0]))
                    .where("idx", .lessThanOrEqual, Int64(indexes[indexes.count - 1])).all()
                : try await query.where("idx", .in, indexes.map { Int64($0) }).all()
            for row in rows {
                hashes[try row.decode(column: "idx", as: Int64.self)] = try row.decode(column: "hash", as: String.self)
            }
            var data = Data(capacity: indexes.count * MerkleHash.byteCount)
            for index in indexes {
                guard let hash = hashes[Int64(index)].flatMap({ MerkleHash(hex: $0) }) else {
                    throw TileError.malformedData("the stored hash \(index) is missing from the log")
                }
                hash.withUnsafeBytes { data.append(contentsOf: $0) }
            }
            try await db.insert(into: "log_tiles").columns("level", "idx", "width", "hashes")
                .values(tile.level, Int64(tile.index), tile.width, data).run()
        }
    }
}
