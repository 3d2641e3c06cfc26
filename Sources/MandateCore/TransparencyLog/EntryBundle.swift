import Foundation

/// A tlog-tiles entry bundle: up to 256 consecutive log entries, each a big-endian uint16 length then the bytes.
public struct EntryBundle: Hashable, Sendable {
    /// The largest entry a bundle can hold.
    public static let maxEntryLength = Int(UInt16.max)

    /// The entries, in log order.
    public let entries: [Data]

    /// A bundle of `entries`, each at most 65,535 bytes, at most 256 of them.
    public init(entries: [Data]) throws(TileError) {
        guard entries.count <= Tile.fullWidth else { throw .tooManyEntries(entries.count) }
        for entry in entries where entry.count > Self.maxEntryLength {
            throw .entryTooLarge(entry.count)
        }
        self.entries = entries
    }

    /// Parses bundle bytes; truncated lengths or entries, or more than 256 entries, are errors.
    public init(data: Data) throws(TileError) {
        var entries: [Data] = []
        var position = data.startIndex
        while position < data.endIndex {
            guard data.endIndex - position >= 2 else { throw .malformedData("truncated entry length") }
            let length = Int(data[position]) << 8 | Int(data[position + 1])
            position += 2
            guard data.endIndex - position >= length else { throw .malformedData("truncated entry") }
            entries.append(Data(data[position..<(position + length)]))
            position += length
            guard entries.count <= Tile.fullWidth else { throw .tooManyEntries(entries.count) }
        }
        self.entries = entries
    }

    /// The entries at `positions` of bundle bytes, read without making the others; fewer where the
    /// bundle ends first. Truncated lengths or entries up to the last wanted are errors.
    public static func entries(in data: Data, at positions: Range<Int>) throws(TileError) -> [Data] {
        var entries: [Data] = []
        entries.reserveCapacity(positions.count)
        var position = data.startIndex
        var number = 0
        while position < data.endIndex, number < positions.upperBound {
            guard data.endIndex - position >= 2 else { throw .malformedData("truncated entry length") }
            let length = Int(data[position]) << 8 | Int(data[position + 1])
            position += 2
            guard data.endIndex - position >= length else { throw .malformedData("truncated entry") }
            if number >= positions.lowerBound { entries.append(Data(data[position..<(position + length)])) }
            position += length
            number += 1
        }
        return entries
    }

    /// The bundle's bytes as served at `tile/entries/<N>[.p/<W>]`.
    public var data: Data {
        var data = Data(capacity: entries.reduce(0) { $0 + 2 + $1.count })
        for entry in entries {
            data.append(UInt8(truncatingIfNeeded: entry.count >> 8))
            data.append(UInt8(truncatingIfNeeded: entry.count))
            data.append(entry)
        }
        return data
    }

    /// The RFC 6962 leaf hashes of the entries, which make up the matching level-0 tile.
    public var leafHashes: [MerkleHash] {
        entries.map { MerkleHash.leafHash(of: $0) }
    }
}
