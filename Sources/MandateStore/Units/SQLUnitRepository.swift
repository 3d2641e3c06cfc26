import MandateCore
import SQLKit

/// `UnitRepository` on SQLite or PostgreSQL.
public struct SQLUnitRepository: UnitRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    private static let columns = [
        "code", "kind", "name", "short_name", "name_en", "type", "parent_code", "latitude", "longitude", "area_km2",
        "active",
    ]

    public func list(_ query: UnitQuery) async throws -> Page<OrgUnit> {
        try await database.read { db in
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("units")
                if let kind = query.kind { select = select.where("kind", .equal, kind.rawValue) }
                if let parent = query.parentCode { select = select.where("parent_code", .equal, parent) }
                if !query.includeInactive { select = select.where("active", .equal, true) }
                // Terms hold only letters, digits and spaces (see SearchKey), so no LIKE wildcard can slip in.
                for term in SearchKey.terms(query.search ?? "") {
                    select = select.where("search_key", .like, "%\(term)%")
                }
                return select
            }
            let total =
                try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let rows = try await filtered(db.select().columns(Self.columns))
                .orderBy(SQLRaw(Self.kindOrder))
                .orderBy("code")
                .limit(query.limit)
                .offset(query.offset)
                .all(decoding: UnitRow.self, keyDecodingStrategy: .snakeCaseColumns)
            return Page(items: rows.map(\.unit), total: total, limit: query.limit, offset: query.offset)
        }
    }

    private static let kindOrder =
        "CASE kind WHEN 'committee' THEN 0 WHEN 'ministry' THEN 1 WHEN 'province' THEN 2 WHEN 'commune' THEN 3 ELSE 4 END"

    public func get(code: String) async throws -> OrgUnit? {
        try await database.read { db in
            try await db.select().columns(Self.columns).from("units").where("code", .equal, code)
                .first(decoding: UnitRow.self, keyDecodingStrategy: .snakeCaseColumns)?.unit
        }
    }

    public func names(of codes: some Collection<String>) async throws -> [String: String] {
        let codes = Array(Set(codes))
        return try await database.read { db in
            var names: [String: String] = [:]
            for batch in codes.chunked(into: 1000) {
                for row in try await db.select().columns("code", "name").from("units")
                    .where("code", .in, Array(batch)).all()
                {
                    names[try row.decode(column: "code", as: String.self)] = try row.decode(
                        column: "name", as: String.self)
                }
            }
            return names
        }
    }

    public func path(of code: String) async throws -> UnitPath? {
        try await database.read { db in
            let tree = try await database.units.current(on: db)
            guard tree.kinds[code] != nil else { return nil }
            return UnitPath([code] + tree.ancestors(of: code))
        }
    }

    public func kinds() async throws -> [String: UnitKind] {
        try await database.read { db in try await database.units.current(on: db).kinds }
    }

    public func codes(of kind: UnitKind) async throws -> [String] {
        let tree = try await database.read { db in try await database.units.current(on: db) }
        return tree.kinds.compactMap { code, unitKind in
            unitKind == kind && tree.former.index(forKey: code) == nil ? code : nil
        }.sorted(by: RankingTable.codeOrder)
    }

    public func root() async throws -> String? {
        try await database.read { db in try await database.units.current(on: db).root }
    }

    public func save(_ units: [OrgUnit], links: [UnitLink]) async throws {
        let now = database.clock.now()
        try await database.transaction { db in
            ChangeRecorder.note([.units])
            // Batches keep each statement well under both engines' limits on bound values.
            for batch in units.chunked(into: 500) {
                var insert = db.insert(into: "units").columns(Self.columns + ["search_key", "updated_at"])
                for unit in batch {
                    insert = insert.values(
                        [
                            unit.code, unit.kind.rawValue, unit.name, unit.shortName, unit.nameEn, unit.type,
                            unit.parentCode, unit.latitude, unit.longitude, unit.areaKm2, unit.active, unit.searchKey,
                            now,
                        ] as [any Encodable & Sendable])
                }
                try await insert.onConflict(with: ["code"]) { update in
                    var update = update
                    for column in Self.columns.dropFirst() + ["search_key", "updated_at"] {
                        update = update.set(excludedValueOf: column)
                    }
                    return update
                }.run()
            }
            for batch in links.chunked(into: 500) {
                var insert = db.insert(into: "unit_links").columns("unit_code", "predecessor_code", "effective_on")
                for link in batch { insert = insert.values(link.unitCode, link.predecessorCode, link.effectiveOn) }
                try await insert.onConflict(with: ["unit_code", "predecessor_code"]) {
                    $0.set(excludedValueOf: "effective_on")
                }.run()
            }
            try await DataVersion.bump(DataVersion.units, on: db)
        }
    }

    public func predecessors(of code: String) async throws -> [UnitLink] {
        try await links(where: "unit_code", is: code)
    }

    public func successors(of code: String) async throws -> [UnitLink] {
        try await links(where: "predecessor_code", is: code)
    }

    private func links(where column: String, is code: String) async throws -> [UnitLink] {
        try await database.read { db in
            try await db.select().columns("unit_code", "predecessor_code", "effective_on").from("unit_links")
                .where(SQLIdentifier(column), .equal, SQLBind(code)).orderBy("unit_code").orderBy("predecessor_code")
                .all(decoding: UnitLink.self, keyDecodingStrategy: .snakeCaseColumns)
        }
    }
}

/// A `units` row as stored.
struct UnitRow: Decodable {
    var code: String
    var kind: String
    var name: String
    var shortName: String
    var nameEn: String?
    var type: String
    var parentCode: String?
    var latitude: Double?
    var longitude: Double?
    var areaKm2: Double?
    var active: Bool

    var unit: OrgUnit {
        OrgUnit(
            code: code, kind: UnitKind(rawValue: kind) ?? .partner, name: name, shortName: shortName, nameEn: nameEn,
            type: type, parentCode: parentCode, latitude: latitude, longitude: longitude, areaKm2: areaKm2,
            active: active)
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
