import MandateCore
import SQLKit
import Synchronization

/// The unit tree's kinds and parents, kept in memory while its data version holds.
///
/// Every write is authorised against the unit's path to the root, and every value rolls up to its
/// ancestors: walking the tree in the database costs a query per level. The tree changes only when
/// units are saved, which bumps the `units` version in the same transaction; one small query tells
/// whether the kept copy is current, on every instance alike.
public final class UnitTreeCache: Sendable {
    private let kept = Mutex<(version: Int64, tree: UnitIndex)?>(nil)

    public init() {}

    /// The whole tree as `db` sees it.
    func current(on db: any SQLDatabase) async throws -> UnitIndex {
        // The version is read before the data: a copy is never kept under a newer version than its data.
        let version = try await DataVersion.read(DataVersion.units, on: db)
        if let kept = kept.withLock({ $0 }), kept.version == version { return kept.tree }
        var tree = UnitIndex()
        for row in try await db.select().columns("code", "kind", "parent_code").from("units").all() {
            let code = try row.decode(column: "code", as: String.self)
            tree.kinds[code] = UnitKind(rawValue: try row.decode(column: "kind", as: String.self))
            if !(try row.decodeNil(column: "parent_code")) {
                tree.parents[code] = try row.decode(column: "parent_code", as: String.self)
            }
        }
        kept.withLock { $0 = (version, tree) }
        return tree
    }
}
