import Foundation
import Testing

@testable import MandateCore

@Suite("Tiles and entry bundles")
struct TileTests {
    @Test("paths use three-digit groups and partial suffixes")
    func paths() throws {
        #expect(try Tile(level: 0, index: 1_234_067).path == "tile/0/x001/x234/067")
        #expect(try Tile(level: 0, index: 1_234_067, width: 8).path == "tile/0/x001/x234/067.p/8")
        #expect(try Tile(level: 2, index: 0, width: 1).path == "tile/2/000.p/1")
        #expect(try Tile(level: 1, index: 1000).path == "tile/1/x001/000")
        #expect(try Tile(level: 0, index: 5, width: 17).entryBundlePath == "tile/entries/005.p/17")
        for path in ["tile/0/x001/x234/067", "tile/3/x001/000.p/255", "tile/0/000", "tile/1/x999/999.p/1"] {
            #expect(try Tile(path: path).path == path)
        }
        let bundle = try Tile(entryBundlePath: "tile/entries/x001/234.p/17")
        #expect(bundle == (try Tile(level: 0, index: 1234, width: 17)))
    }

    @Test(
        "non-canonical or out-of-range paths are rejected",
        arguments: [
            "tile/0/x000/001", "tile/00/000", "tile/0/1234", "tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/08",
            "tile/64/000", "tile/8/000", "tile/0/x1/000", "tile/0/001/000", "tile/0/x001", "tile/0/000/", "tiles/0/000",
            "tile/0/00a", "tile/0/000.p/", "tile/0/000.p", "tile/entries/000",
            "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
            "tile/-1/000", "tile/0/+01",
        ])
    func rejectedPaths(path: String) {
        #expect(throws: TileError.self) { try Tile(path: path) }
    }

    @Test("the tiles of a tree follow the tlog-tiles examples")
    func tilesForTreeSize() throws {
        let tiles = try Tile.tiles(treeSize: 70_000)
        #expect(tiles.count == 273 + 1 + 1 + 1 + 1)
        #expect(tiles.filter { $0.level == 0 && !$0.isPartial }.count == 273)
        #expect(tiles.contains(try Tile(level: 0, index: 273, width: 112)))
        #expect(tiles.contains(try Tile(level: 1, index: 0)))
        #expect(tiles.contains(try Tile(level: 1, index: 1, width: 17)))
        #expect(tiles.contains(try Tile(level: 2, index: 0, width: 1)))
        #expect(try Tile.tiles(treeSize: 256) == [Tile(level: 0, index: 0), Tile(level: 1, index: 0, width: 1)])
        #expect(try Tile.tiles(treeSize: 0).isEmpty)
        #expect(
            try Tile.newTiles(from: 250, to: 520)
                == [
                    Tile(level: 0, index: 0), Tile(level: 0, index: 1), Tile(level: 0, index: 2, width: 8),
                    Tile(level: 1, index: 0, width: 2),
                ])
        #expect(try Tile.newTiles(from: 300, to: 300).isEmpty)
        #expect(throws: TileError.sizesOutOfOrder(5, 4)) { try Tile.newTiles(from: 5, to: 4) }
        let max = StoredHashIndex.maxTreeSize
        let top = try Tile.newTiles(from: max - 1, to: max).filter { $0.level == Tile.maxLevel }
        #expect(top == [try Tile(level: Tile.maxLevel, index: 0, width: 64)])
        #expect(throws: TileError.indexOutOfRange(0)) { try Tile(level: Tile.maxLevel, index: 0, width: 65) }
    }

    @Test("tile bytes hold the stored hashes; upper tiles hash full lower tiles")
    func tileContents() throws {
        let size: UInt64 = 65_536 + 300
        var tree = MerkleTree()
        for index in 0..<size { tree.append(leafData: withUnsafeBytes(of: index.bigEndian) { Data($0) }) }
        var byPath: [String: [MerkleHash]] = [:]
        for tile in try Tile.tiles(treeSize: size) {
            let data = try tile.data(reader: tree)
            #expect(data.count == tile.width * 32)
            byPath[tile.path] = try tile.hashes(fromData: data)
        }
        let level0 = try #require(byPath["tile/0/005"])
        for (offset, hash) in level0.enumerated() {
            #expect(hash == (try tree.leafHash(at: 5 * 256 + UInt64(offset))))
        }
        let level1 = try #require(byPath["tile/1/000"])
        for (offset, hash) in level1.enumerated() where offset % 37 == 0 {
            let below = try #require(byPath[try Tile(level: 0, index: UInt64(offset)).path])
            #expect(hash == MerkleTree.rootHash(leafHashes: below))
        }
        #expect(byPath["tile/2/000.p/1"] == [MerkleTree.rootHash(leafHashes: level1)])
        #expect(byPath["tile/0/257.p/44"]?.count == 44)
        #expect(try tree.rootHash(treeSize: 65_536) == MerkleTree.rootHash(leafHashes: level1))
    }

    @Test("entry bundles round-trip and match the level-0 tile")
    func entryBundles() throws {
        let entries = (0..<20).map { Data(repeating: UInt8($0), count: $0 * 13) } + [Data(count: 65_535)]
        let bundle = try EntryBundle(entries: entries)
        let data = bundle.data
        #expect(data.count == entries.reduce(0) { $0 + 2 + $1.count })
        #expect(data.prefix(4) == Data([0, 0, 0, 13]))
        #expect(try EntryBundle(data: data) == bundle)
        let tree = MerkleTree(leafHashes: bundle.leafHashes)
        let tile = try Tile(level: 0, index: 0, width: entries.count)
        #expect(try tile.hashes(fromData: tile.data(reader: tree)) == bundle.leafHashes)
        #expect(try EntryBundle(data: Data()).entries.isEmpty)
    }

    @Test("malformed bundles are rejected")
    func malformedBundles() {
        #expect(throws: TileError.self) { try EntryBundle(data: Data([0])) }
        #expect(throws: TileError.self) { try EntryBundle(data: Data([0, 3, 1, 2])) }
        #expect(throws: TileError.entryTooLarge(65_536)) { try EntryBundle(entries: [Data(count: 65_536)]) }
        #expect(throws: TileError.tooManyEntries(257)) {
            try EntryBundle(entries: Array(repeating: Data(), count: 257))
        }
        #expect(throws: TileError.tooManyEntries(257)) { try EntryBundle(data: Data(count: 2 * 257)) }
        #expect(throws: TileError.self) { try Tile(level: 0, index: 0, width: 0) }
        #expect(throws: TileError.self) { try Tile(level: 0, index: 0, width: 2).hashes(fromData: Data(count: 33)) }
    }
}
