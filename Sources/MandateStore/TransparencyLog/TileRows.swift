import Foundation
import MandateCore
import SQLKit

/// Reads the stored hash tiles (`log_tiles`) through one connection, and any stored hash from them:
/// a hash above a tile's level is the perfect-subtree hash of the tile's hashes beneath it.
struct TileRows: AsyncMerkleHashReader {
    let db: any SQLDatabase

    /// The bytes of the tiles of `level` at `indexes` that are stored (each its width's hashes).
    func tiles(level: Int, indexes: some Collection<UInt64>) async throws -> [UInt64: Data] {
        try await tiles([level: Set(indexes)])[level] ?? [:]
    }

    /// The bytes of the stored tiles among `wanted` (indexes by level), in one query.
    func tiles(_ wanted: [Int: Set<UInt64>]) async throws -> [Int: [UInt64: Data]] {
        let wanted = wanted.filter { !$0.value.isEmpty }
        guard !wanted.isEmpty else { return [:] }
        let rows = try await db.select().columns("level", "idx", "width", "hashes").from("log_tiles")
            .where(group: { group in
                for (level, indexes) in wanted.sorted(by: { $0.key < $1.key }) {
                    let low = indexes.min() ?? 0
                    let high = indexes.max() ?? 0
                    group.orWhere(group: { tile in
                        tile.where("level", .equal, level)
                        // Tiles close together are one range scan; scattered ones (a proof's) are looked up.
                        return high - low < UInt64(indexes.count) * 4 + 16
                            ? tile.where("idx", .greaterThanOrEqual, Int64(low))
                                .where("idx", .lessThanOrEqual, Int64(high))
                            : tile.where("idx", .in, indexes.map { Int64($0) })
                    })
                }
                return group
            }).all()
        var tiles: [Int: [UInt64: Data]] = [:]
        for row in rows {
            let level = try row.decode(column: "level", as: Int.self)
            let index = UInt64(try row.decode(column: "idx", as: Int64.self))
            let width = try row.decode(column: "width", as: Int.self)
            let hashes = try row.decode(column: "hashes", as: Data.self)
            guard hashes.count == width * MerkleHash.byteCount else {
                throw TileError.malformedData("tile \(level)/\(index) of width \(width) holds \(hashes.count) bytes")
            }
            tiles[level, default: [:]][index] = hashes
        }
        return tiles
    }

    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        let locations = indexes.map(Tile.location(ofStoredHash:))
        var wanted: [Int: Set<UInt64>] = [:]
        for location in locations { wanted[location.level, default: []].insert(location.index) }
        let tiles = try await self.tiles(wanted)
        return try locations.map { location in
            guard let data = tiles[location.level]?[location.index],
                data.count >= location.positions.upperBound * MerkleHash.byteCount
            else {
                throw MerkleError.hashReaderCountMismatch(requested: indexes.count, returned: 0)
            }
            return MerkleHash.perfectSubtreeHash(of: Self.hashes(data, location.positions)[...])
        }
    }

    /// The leaf hashes of the leaves in `range` that the level-0 tiles hold, in order.
    func leafHashes(in range: Range<UInt64>) async throws -> [MerkleHash] {
        guard !range.isEmpty else { return [] }
        let width = UInt64(Tile.fullWidth)
        let first = range.lowerBound / width
        let tiles = try await self.tiles(level: 0, indexes: first...((range.upperBound - 1) / width))
        var hashes: [MerkleHash] = []
        hashes.reserveCapacity(range.count)
        var leaf = range.lowerBound
        while leaf < range.upperBound, let data = tiles[leaf / width] {
            let start = Int(leaf % width)
            let end = min(data.count / MerkleHash.byteCount, start + Int(range.upperBound - leaf))
            guard start < end else { break }
            hashes += Self.hashes(data, start..<end)
            leaf += UInt64(end - start)
            if end < Tile.fullWidth { break }
        }
        return hashes
    }

    /// The hashes at `positions` of tile bytes.
    static func hashes(_ data: Data, _ positions: Range<Int>) -> [MerkleHash] {
        positions.compactMap { position in
            let start = data.startIndex + position * MerkleHash.byteCount
            return MerkleHash(data: data[start..<(start + MerkleHash.byteCount)])
        }
    }
}
