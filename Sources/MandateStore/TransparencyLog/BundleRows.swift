import Foundation
import MandateCore
import SQLKit

/// Reads the stored entry bundles (`log_bundles`) through one connection.
struct BundleRows {
    let db: any SQLDatabase

    /// The bytes of the stored bundles with indexes in `indexes`.
    func bundles(_ indexes: Range<UInt64>) async throws -> [UInt64: Data] {
        guard !indexes.isEmpty else { return [:] }
        var bundles: [UInt64: Data] = [:]
        for row in try await db.select().columns("idx", "data").from("log_bundles")
            .where("idx", .greaterThanOrEqual, Int64(indexes.lowerBound))
            .where("idx", .lessThan, Int64(indexes.upperBound)).all()
        {
            bundles[UInt64(try row.decode(column: "idx", as: Int64.self))] = try row.decode(
                column: "data", as: Data.self)
        }
        return bundles
    }

    /// The stored leaves in `range` by index, in order; the list stops where a bundle is missing
    /// or holds fewer entries than the range asks of it.
    func leafData(in range: Range<UInt64>) async throws -> [(index: UInt64, data: Data)] {
        guard !range.isEmpty else { return [] }
        let width = UInt64(Tile.fullWidth)
        let bundles = try await self.bundles((range.lowerBound / width)..<((range.upperBound - 1) / width + 1))
        var leaves: [(index: UInt64, data: Data)] = []
        leaves.reserveCapacity(range.count)
        var leaf = range.lowerBound
        while leaf < range.upperBound, let data = bundles[leaf / width] {
            let start = Int(leaf % width)
            let entries = try EntryBundle.entries(
                in: data, at: start..<min(Tile.fullWidth, start + Int(range.upperBound - leaf)))
            guard !entries.isEmpty else { break }
            for (offset, entry) in entries.enumerated() { leaves.append((leaf + UInt64(offset), entry)) }
            leaf += UInt64(entries.count)
            if leaf % width != 0 { break }
        }
        return leaves
    }
}
