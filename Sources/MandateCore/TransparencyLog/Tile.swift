import Foundation

/// A hash tile of a tiled transparency log (C2SP tlog-tiles): up to 256 consecutive tree hashes of one level.
// Tile `index` at `level` holds MTH(D[(index * 256 + i) * 256^level ..< (index * 256 + i + 1) * 256^level]) for
// i in 0..<width; those are the stored hashes at tree level `8 * level`.
public struct Tile: Hashable, Sendable {
    /// The tile height: each tile level spans eight tree levels.
    public static let height = 8
    /// The number of hashes in a full tile.
    public static let fullWidth = 256
    /// The highest tile level reachable by trees of up to `StoredHashIndex.maxTreeSize` leaves.
    public static let maxLevel = 7

    /// The tile level (`<L>` in the path).
    public let level: Int
    /// The tile's index within its level (`<N>` in the path).
    public let index: UInt64
    /// The number of hashes in the tile, 1...256; below 256 the tile is partial.
    public let width: Int

    /// A tile, validated against the ranges that trees of up to `StoredHashIndex.maxTreeSize` leaves use.
    public init(level: Int, index: UInt64, width: Int = Tile.fullWidth) throws(TileError) {
        guard (0...Self.maxLevel).contains(level) else { throw .levelOutOfRange(level) }
        guard (1...Self.fullWidth).contains(width) else { throw .widthOutOfRange(width) }
        // The tile's last hash must end within the largest supported tree.
        let hashesInLargestTree = StoredHashIndex.maxTreeSize >> (Self.height * level)
        guard index <= hashesInLargestTree / UInt64(Self.fullWidth),
            index * UInt64(Self.fullWidth) + UInt64(width) <= hashesInLargestTree
        else { throw .indexOutOfRange(index) }
        self.level = level
        self.index = index
        self.width = width
    }

    /// Whether the tile has fewer than 256 hashes.
    public var isPartial: Bool { width < Self.fullWidth }

    /// The tile's resource path, `tile/<L>/<N>[.p/<W>]`.
    public var path: String { "tile/\(level)/\(TilePath.encode(index: index, width: width))" }

    /// The path of the entry bundle that matches this level-0 tile, `tile/entries/<N>[.p/<W>]`.
    public var entryBundlePath: String { "tile/entries/\(TilePath.encode(index: index, width: width))" }

    /// Parses a hash tile path such as `tile/0/x001/x234/067.p/8`; only canonical encodings are accepted.
    public init(path: String) throws(TileError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 3, components.removeFirst() == "tile" else { throw .invalidPath(path) }
        let levelText = components.removeFirst()
        guard let level = TilePath.decimal(levelText), level <= 63 else { throw .invalidPath(path) }
        let (index, width) = try TilePath.decode(components, path: path)
        try self.init(level: Int(level), index: index, width: width)
    }

    /// Parses an entry bundle path such as `tile/entries/x001/234.p/17` into its level-0 tile.
    public init(entryBundlePath path: String) throws(TileError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 3, components.removeFirst() == "tile", components.removeFirst() == "entries" else {
            throw .invalidPath(path)
        }
        let (index, width) = try TilePath.decode(components, path: path)
        try self.init(level: 0, index: index, width: width)
    }

    /// The range of leaves whose hashes the tile covers.
    public var leafRange: Range<UInt64> {
        let first = index * UInt64(Self.fullWidth)
        return (first << (Self.height * level))..<((first + UInt64(width)) << (Self.height * level))
    }

    /// The stored hash indexes of the tile's hashes, in tile order.
    public var storedHashIndexes: [UInt64] {
        let first = index * UInt64(Self.fullWidth)
        return (0..<UInt64(width)).map { StoredHashIndex.index(level: Self.height * level, n: first + $0) }
    }

    /// The tile's bytes, read from stored hashes.
    public func data(reader: some MerkleHashReader) throws -> Data {
        try Self.data(hashes: reader.readHashes(at: storedHashIndexes), width: width)
    }

    /// The tile's bytes, read from stored hashes through an async `reader`.
    public func data(reader: some AsyncMerkleHashReader) async throws -> Data {
        try Self.data(hashes: await reader.readHashes(at: storedHashIndexes), width: width)
    }

    /// The hashes held in tile bytes, which must be exactly `width` hashes long.
    public func hashes(fromData data: Data) throws(TileError) -> [MerkleHash] {
        guard data.count == width * MerkleHash.byteCount else {
            throw .malformedData("tile of width \(width) has \(data.count) bytes")
        }
        return stride(from: 0, to: data.count, by: MerkleHash.byteCount).compactMap { offset in
            let start = data.startIndex + offset
            return MerkleHash(data: data[start..<(start + MerkleHash.byteCount)])
        }
    }

    private static func data(hashes: [MerkleHash], width: Int) throws(TileError) -> Data {
        guard hashes.count == width else { throw .malformedData("read \(hashes.count) hashes for width \(width)") }
        var data = Data(capacity: width * MerkleHash.byteCount)
        for hash in hashes { hash.withUnsafeBytes { data.append(contentsOf: $0) } }
        return data
    }
}

extension Tile {
    /// Every tile, full and partial, of the tree of `treeSize` leaves, level by level (linear in the tree size).
    public static func tiles(treeSize: UInt64) throws(TileError) -> [Tile] {
        try newTiles(from: 0, to: treeSize)
    }

    /// The tiles that are new or have grown when a tree grows from `oldSize` to `newSize` leaves.
    public static func newTiles(from oldSize: UInt64, to newSize: UInt64) throws(TileError) -> [Tile] {
        guard oldSize <= newSize else { throw .sizesOutOfOrder(oldSize, newSize) }
        guard newSize <= StoredHashIndex.maxTreeSize else { throw .indexOutOfRange(newSize) }
        var tiles: [Tile] = []
        var level = 0
        while level <= maxLevel, newSize >> (height * level) > 0 {
            let oldCount = oldSize >> (height * level)
            let newCount = newSize >> (height * level)
            if oldCount != newCount {
                let firstTile = oldCount >> height
                let fullTiles = newCount >> height
                for index in firstTile..<fullTiles {
                    tiles.append(try Tile(level: level, index: index))
                }
                let width = Int(newCount & UInt64(fullWidth - 1))
                if width > 0 {
                    tiles.append(try Tile(level: level, index: fullTiles, width: width))
                }
            }
            level += 1
        }
        return tiles
    }
}

/// Errors from tile and entry bundle handling.
public enum TileError: Error, Hashable, Sendable {
    /// The path is not a canonical tlog-tiles path.
    case invalidPath(String)
    /// The tile level is outside 0...`Tile.maxLevel`.
    case levelOutOfRange(Int)
    /// The tile width is outside 1...256.
    case widthOutOfRange(Int)
    /// The tile index (or tree size) lies beyond the supported tree size.
    case indexOutOfRange(UInt64)
    /// The old tree size is larger than the new one.
    case sizesOutOfOrder(UInt64, UInt64)
    /// Tile or bundle bytes do not have the expected structure.
    case malformedData(String)
    /// An entry is longer than the 65,535 bytes a bundle's length prefix can express.
    case entryTooLarge(Int)
    /// A bundle holds more than 256 entries.
    case tooManyEntries(Int)
}

extension TileError: CustomStringConvertible {
    /// A human-readable explanation of the error.
    public var description: String {
        switch self {
        case .invalidPath(let path): "invalid tile path \"\(path)\""
        case .levelOutOfRange(let level): "tile level \(level) is out of range"
        case .widthOutOfRange(let width): "tile width \(width) is out of range"
        case .indexOutOfRange(let index): "tile index or tree size \(index) is out of range"
        case .sizesOutOfOrder(let old, let new): "tree size \(old) is larger than \(new)"
        case .malformedData(let reason): "malformed tile data: \(reason)"
        case .entryTooLarge(let count): "entry of \(count) bytes exceeds 65535"
        case .tooManyEntries(let count): "bundle of \(count) entries exceeds 256"
        }
    }
}
