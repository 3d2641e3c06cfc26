import MandateCore
import SQLKit

/// The unit tree's kinds and parents, kept in memory while its data version holds.
///
/// Every write is authorised against the unit's path to the root, and every value rolls up to its
/// ancestors: walking the tree in the database costs a query per level. The tree changes only when
/// units are saved, which bumps the `units` version in the same transaction (see `VersionedCopy`).
public final class UnitTreeCache: Sendable {
    private let copy = VersionedCopy<UnitIndex>(of: DataVersion.units)

    public init() {}

    /// The whole tree as `db` sees it.
    func current(on db: any SQLDatabase) async throws -> UnitIndex {
        try await copy.current(on: db) { db in
            var tree = UnitIndex()
            for row in try await db.select().columns("code", "kind", "parent_code", "active").from("units").all() {
                let code = try row.decode(column: "code", as: String.self)
                tree.kinds[code] = UnitKind(rawValue: try row.decode(column: "kind", as: String.self))
                if !(try row.decodeNil(column: "parent_code")) {
                    tree.parents[code] = try row.decode(column: "parent_code", as: String.self)
                }
                if !(try row.decode(column: "active", as: Bool.self)) { tree.former[code] = .some(nil) }
            }
            var takenOver: [String: [CivilDate]] = [:]
            for row in try await db.select().columns("predecessor_code", "effective_on").from("unit_links").all() {
                let code = try row.decode(column: "predecessor_code", as: String.self)
                guard tree.former[code] != nil,
                    let day = CivilDate(iso: try row.decode(column: "effective_on", as: String.self))
                else { continue }
                takenOver[code, default: []].append(day)
            }
            for (code, days) in takenOver { tree.former[code] = ReportingSpan.ceased(active: false, takenOver: days) }
            return tree
        }
    }
}
