import MandateCore
import NIOPosix
import SQLiteKit
import VaporCSQLite

/// New `log_keys` rows through statements of many rows each, prepared once on the connection's
/// `sqlite3` handle (see `RawStatement`): a million-leaf append records a million keys.
enum NewKeyRows {
    /// Rows per statement.
    static let rowsPerStatement = 64

    /// Records `hashes[i]` → `indexes[i]` with `INSERT OR IGNORE`; returns the positions whose hash
    /// was recorded already (with another leaf).
    static func insert(hashes: [Int64], indexes: [UInt64], handle: SQLiteSession.Handle) async throws -> [Int] {
        precondition(hashes.count == indexes.count)
        return try await NIOThreadPool.singleton.runIfActive {
            try insert(hashes: hashes, indexes: indexes, on: handle.raw)
        }
    }

    static func sql(rows: Int) -> String {
        "INSERT OR IGNORE INTO log_keys (key_hash, idx) VALUES "
            + (0..<rows).map { "(?\(2 * $0 + 1), ?\(2 * $0 + 2))" }.joined(separator: ", ")
    }

    private static func insert(hashes: [Int64], indexes: [UInt64], on db: OpaquePointer) throws -> [Int] {
        // In hash order, each row goes in next to the last: the pages of the table are walked once
        // instead of at random.
        let order = hashes.indices.sorted { hashes[$0] < hashes[$1] }
        var skipped: [ArraySlice<Int>] = []
        var start = 0
        for rows in [rowsPerStatement, 1] {
            guard start + rows <= order.count else { continue }
            let statement = try RawStatement(sql(rows: rows), on: db)
            while start + rows <= order.count {
                for row in 0..<rows {
                    let position = order[start + row]
                    try statement.bind(hashes[position], Int32(2 * row + 1))
                    try statement.bind(Int64(indexes[position]), Int32(2 * row + 2))
                }
                try statement.run()
                if statement.changes < rows { skipped.append(order[start..<start + rows]) }
                start += rows
            }
        }
        guard !skipped.isEmpty else { return [] }
        // A statement that skipped rows: a row is skipped where its hash holds another leaf.
        let lookup = try RawStatement("SELECT idx FROM log_keys WHERE key_hash = ?1", on: db)
        var taken: [Int] = []
        for positions in skipped {
            for position in positions {
                try lookup.bind(hashes[position], 1)
                if try lookup.integer() != Int64(indexes[position]) { taken.append(position) }
            }
        }
        return taken.sorted()
    }
}
