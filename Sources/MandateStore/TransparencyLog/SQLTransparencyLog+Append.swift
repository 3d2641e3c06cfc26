import Foundation
import MandateCore
import SQLKit

extension SQLTransparencyLog {
    /// Appends facts as consecutive leaves inside the caller's transaction; returns their indexes.
    /// A fact already logged with the very same bytes is not logged twice (its existing index is
    /// returned); a different fact under a logged key is refused.
    public static func append(
        _ facts: [PublishedFact], at: String, in db: any SQLDatabase
    ) async throws -> [UInt64] {
        guard !facts.isEmpty else { return [] }
        if db.dialect.name == "postgresql" {
            // Appends take turns; SQLite's single writer already serialises them.
            try await db.raw("SELECT pg_advisory_xact_lock(5757010)").run()
        }
        // The call's own repeats: one leaf per key. Keys are told apart by their hashes, and by
        // the keys themselves where two share a hash.
        var distinct: [PublishedFact] = []
        var hashes: [Int64] = []
        var byHash: [Int64: Int] = [:]
        var byKey: [String: Int] = [:]
        var slots: [Int] = []
        for fact in facts {
            let hash = LogKeys.hash(fact.key)
            var earlier = byHash[hash]
            if let position = earlier, distinct[position].key != fact.key { earlier = byKey[fact.key] }
            if let earlier {
                guard distinct[earlier].canonicalBytes == fact.canonicalBytes else {
                    throw ValidationFailure(field: "key", reason: "two different facts are given as \(fact.key)")
                }
                slots.append(earlier)
                continue
            }
            if byHash[hash] == nil { byHash[hash] = distinct.count } else { byKey[fact.key] = distinct.count }
            slots.append(distinct.count)
            distinct.append(fact)
            hashes.append(hash)
        }
        let size = try await storedSize(db)
        let (indexes, fresh) = try await LogKeys.place(distinct, hashes: hashes, from: size, in: db)
        if !fresh.isEmpty {
            // The transaction announces the append to other instances with what else it changed.
            LogAppendMarker.current?.mark(announced: fresh.contains { distinct[$0].kind.isAnnounced })
            try await store(fresh.map { distinct[$0] }, from: size, at: at, in: db)
        }
        return slots.map { indexes[$0] }
    }

    /// Writes `facts` as leaves `size`, `size + 1`, …: the bundles and tiles they fill or grow, and
    /// the append's time.
    private static func store(
        _ facts: [PublishedFact], from size: UInt64, at: String, in db: any SQLDatabase
    ) async throws {
        let width = UInt64(Tile.fullWidth)
        var bundle = Data()
        if size % width != 0 {
            guard let stored = try await BundleRows(db: db).bundles((size / width)..<(size / width + 1))[size / width]
            else { throw TileError.malformedData("the entry bundle of leaf \(size - 1) is missing") }
            bundle = stored
        }
        var frontier = try await TileFrontier(treeSize: size, partialTiles: partialTiles(size: size, db: db))
        // Bundles go out as they fill, a statement of 64 at a time, so that a large append holds
        // few of them in memory.
        var bundles: [(index: UInt64, width: Int, data: Data)] = []
        func write() async throws {
            guard !bundles.isEmpty else { return }
            var insert = db.insert(into: "log_bundles").columns("idx", "width", "data")
            for bundle in bundles { insert = insert.values(Int64(bundle.index), bundle.width, bundle.data) }
            try await insert.onConflict(with: ["idx"]) { $0.set(excludedValueOf: "width").set(excludedValueOf: "data") }
                .run()
            bundles.removeAll(keepingCapacity: true)
        }
        var leaf = size
        for fact in facts {
            let bytes = fact.canonicalBytes
            bundle.append(UInt8(truncatingIfNeeded: bytes.count >> 8))
            bundle.append(UInt8(truncatingIfNeeded: bytes.count))
            bundle.append(bytes)
            frontier.append(MerkleHash.leafHash(of: bytes))
            leaf += 1
            if leaf % width == 0 {
                bundles.append((leaf / width - 1, Tile.fullWidth, bundle))
                bundle = Data()
                if bundles.count == 64 { try await write() }
            }
        }
        if leaf % width != 0 { bundles.append((leaf / width, Int(leaf % width), bundle)) }
        try await write()
        for batch in frontier.changedTiles().chunked(into: 256) {
            var insert = db.insert(into: "log_tiles").columns("level", "idx", "width", "hashes")
            for (tile, hashes) in batch {
                var data = Data(capacity: hashes.count * MerkleHash.byteCount)
                for hash in hashes { hash.withUnsafeBytes { data.append(contentsOf: $0) } }
                insert = insert.values(tile.level, Int64(tile.index), tile.width, data)
            }
            try await insert.onConflict(with: ["level", "idx"]) {
                $0.set(excludedValueOf: "width").set(excludedValueOf: "hashes")
            }.run()
        }
        try await db.insert(into: "log_appends").columns("first", "published_at")
            .values(Int64(size), at).run()
    }

    /// The hashes of the partial tiles a tree of `size` leaves ends with.
    private static func partialTiles(size: UInt64, db: any SQLDatabase) async throws -> [Tile: [MerkleHash]] {
        var partial: [Tile: [MerkleHash]] = [:]
        let tiles = TileFrontier.partialTiles(treeSize: size)
        var wanted: [Int: Set<UInt64>] = [:]
        for tile in tiles { wanted[tile.level, default: []].insert(tile.index) }
        let stored = try await TileRows(db: db).tiles(wanted)
        for tile in tiles {
            guard let data = stored[tile.level]?[tile.index] else {
                throw TileError.malformedData("the hash tile \(tile.path) is missing")
            }
            // A partial tile is stored at its current width.
            partial[tile] = TileRows.hashes(data, 0..<min(tile.width, data.count / MerkleHash.byteCount))
        }
        return partial
    }
}
