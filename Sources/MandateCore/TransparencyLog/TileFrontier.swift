import Foundation

/// The last tile of every tile level of a log stored as C2SP tlog-tiles, grown leaf by leaf.
// A store keeps its tree as tiles (256 hashes each) rather than one row per stored hash. To append, it
// loads the partial last tile of each level (`partialTiles(treeSize:)`), appends the new leaf hashes,
// and writes back `changedTiles()`: the tiles the new leaves completed and the new partial ones. A
// full tile never changes again, and a partial tile only grows at its end.
public struct TileFrontier: Sendable {
    /// The number of leaves.
    public private(set) var size: UInt64
    /// Per tile level, the hashes of its last tile, which is partial (empty when the level's tiles are all full).
    private var edges: [[MerkleHash]]
    /// Tiles filled since this frontier was loaded, with their hashes.
    private var filled: [(tile: Tile, hashes: [MerkleHash])] = []
    /// The size this frontier was loaded at.
    private let startSize: UInt64

    /// The partial last tile of each level of a tree of `treeSize` leaves: what `init` needs.
    public static func partialTiles(treeSize: UInt64) -> [Tile] {
        var tiles: [Tile] = []
        for level in 0...Tile.maxLevel {
            let count = treeSize >> (Tile.height * level)
            guard count > 0 else { break }
            let width = Int(count & UInt64(Tile.fullWidth - 1))
            if width > 0, let tile = try? Tile(level: level, index: count >> Tile.height, width: width) {
                tiles.append(tile)
            }
        }
        return tiles
    }

    /// The frontier of a tree of `treeSize` leaves from the hashes of its partial tiles (as
    /// `partialTiles(treeSize:)` lists them), each exactly its tile's width long.
    public init(treeSize: UInt64, partialTiles: [Tile: [MerkleHash]]) throws(TileError) {
        guard treeSize <= StoredHashIndex.maxTreeSize else { throw .indexOutOfRange(treeSize) }
        size = treeSize
        startSize = treeSize
        edges = Array(repeating: [], count: Tile.maxLevel + 1)
        for tile in Self.partialTiles(treeSize: treeSize) {
            guard let hashes = partialTiles[tile], hashes.count == tile.width else {
                throw .malformedData("the partial tile \(tile.path) is missing or of another width")
            }
            edges[tile.level] = hashes
        }
    }

    /// Appends a leaf by its leaf hash.
    public mutating func append(_ leafHash: MerkleHash) {
        var hash = leafHash
        var level = 0
        size += 1
        while true {
            edges[level].append(hash)
            guard edges[level].count == Tile.fullWidth, level < Tile.maxLevel else { return }
            // The level's tile is full: its root is the next hash of the level above.
            let index = (size >> (Tile.height * level) - 1) >> Tile.height
            if let tile = try? Tile(level: level, index: index) {
                filled.append((tile, edges[level]))
            }
            hash = MerkleHash.perfectSubtreeHash(of: edges[level][...])
            edges[level].removeAll(keepingCapacity: true)
            level += 1
        }
    }

    /// The tiles that changed since this frontier was loaded, with their hashes, in the order of
    /// `Tile.newTiles(from:to:)`: level by level, the full tiles the new leaves completed and the
    /// level's new partial tile.
    public func changedTiles() -> [(tile: Tile, hashes: [MerkleHash])] {
        var changed = filled
        for tile in Self.partialTiles(treeSize: size) where tile.leafRange.upperBound > startSize {
            changed.append((tile, edges[tile.level]))
        }
        return changed.sorted { ($0.tile.level, $0.tile.index) < ($1.tile.level, $1.tile.index) }
    }
}

extension MerkleHash {
    /// The tree hash of a power-of-two number of consecutive hashes of one level (a perfect subtree).
    public static func perfectSubtreeHash(of hashes: ArraySlice<MerkleHash>) -> MerkleHash {
        precondition(!hashes.isEmpty && hashes.count & (hashes.count - 1) == 0, "a perfect subtree")
        var level = Array(hashes)
        while level.count > 1 {
            for pair in 0..<level.count / 2 {
                level[pair] = .nodeHash(level[2 * pair], level[2 * pair + 1])
            }
            level.removeLast(level.count / 2)
        }
        return level[0]
    }
}

extension Tile {
    /// Where the stored hash `index` is found: the tile at its tile level that holds the hashes
    /// beneath it, and their positions in that tile. The hash is the perfect-subtree hash of those.
    public static func location(ofStoredHash index: UInt64) -> (level: Int, index: UInt64, positions: Range<Int>) {
        let (treeLevel, n) = StoredHashIndex.split(index)
        let level = treeLevel / height
        let below = treeLevel - level * height
        let first = n << below
        let start = Int(first & UInt64(fullWidth - 1))
        return (level, first >> height, start..<(start + 1 << below))
    }
}
