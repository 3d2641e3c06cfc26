import Foundation
import Testing

@testable import MandateCore

/// A log kept as tiles, grown append by append from the partial tiles alone, holds the tiles of the
/// reference tree (every stored hash of the definition), and every stored hash is found in them.
@Suite("Tile frontier")
struct TileFrontierTests {
    /// Grows a tiled log by appends of the given sizes, each from the partial tiles the last left.
    static func grow(_ leaves: [MerkleHash], appends: [Int]) throws -> [Tile: [MerkleHash]] {
        var stored: [Tile: [MerkleHash]] = [:]
        var size: UInt64 = 0
        for count in appends {
            var partial: [Tile: [MerkleHash]] = [:]
            for tile in TileFrontier.partialTiles(treeSize: size) {
                let hashes = try #require(stored[try Tile(level: tile.level, index: tile.index)])
                partial[tile] = hashes
            }
            var frontier = try TileFrontier(treeSize: size, partialTiles: partial)
            for leaf in leaves[Int(size)..<(Int(size) + count)] { frontier.append(leaf) }
            let changed = frontier.changedTiles()
            #expect(changed.map(\.tile) == (try Tile.newTiles(from: size, to: size + UInt64(count))))
            for (tile, hashes) in changed {
                #expect(hashes.count == tile.width)
                // Kept under the full tile's name, as a store keeps one row per tile.
                stored[try Tile(level: tile.level, index: tile.index)] = hashes
            }
            size += UInt64(count)
            #expect(frontier.size == size)
        }
        return stored
    }

    @Test("appends of any size give the reference tree's tiles", arguments: [1, 2, 3])
    func tilesMatchTheReference(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let leaves = MerkleFixtures.randomLeafHashes(count: 70_000, generator: &generator)
        // One leaf at a time across a tile's end, then appends of random sizes past 65,536 leaves
        // (a full level-1 tile and a level-2 tile).
        var appends = Array(repeating: 1, count: 300)
        var left = leaves.count - 300
        while left > 0 {
            let count = min(left, Int.random(in: 1...9_000, using: &generator))
            appends.append(count)
            left -= count
        }
        let stored = try Self.grow(leaves, appends: appends)
        let reference = MerkleTree(leafHashes: leaves)
        for tile in try Tile.tiles(treeSize: UInt64(leaves.count)) {
            let hashes = try #require(stored[try Tile(level: tile.level, index: tile.index)])
            #expect(hashes == (try reference.readHashes(at: tile.storedHashIndexes)), "\(tile.path)")
        }
        // Every stored hash is the perfect-subtree hash of the tile positions `location` names.
        for index in stride(from: UInt64(0), to: StoredHashIndex.count(treeSize: UInt64(leaves.count)), by: 7) {
            let location = Tile.location(ofStoredHash: index)
            let tile = try #require(stored[try Tile(level: location.level, index: location.index)])
            let hash = MerkleHash.perfectSubtreeHash(of: tile[location.positions])
            #expect(hash == (try reference.readHashes(at: [index]))[0], "stored hash \(index)")
        }
    }

    @Test("a partial tile of the wrong width is refused")
    func wrongPartialTile() throws {
        var generator = SeededGenerator(seed: 9)
        let leaves = MerkleFixtures.randomLeafHashes(count: 10, generator: &generator)
        let tile = try Tile(level: 0, index: 0, width: 10)
        #expect(throws: TileError.self) { try TileFrontier(treeSize: 10, partialTiles: [:]) }
        #expect(throws: TileError.self) {
            try TileFrontier(treeSize: 10, partialTiles: [tile: Array(leaves.prefix(9))])
        }
        #expect(try TileFrontier(treeSize: 10, partialTiles: [tile: leaves]).size == 10)
    }
}
