import MandateCore

/// Filters for listing units.
public struct UnitQuery: Sendable, Equatable {
    public var kind: UnitKind?
    public var parentCode: String?
    /// Words matched against names and code, ignoring case and diacritics.
    public var search: String?
    public var includeInactive: Bool
    public var limit: Int
    public var offset: Int

    public init(
        kind: UnitKind? = nil, parentCode: String? = nil, search: String? = nil, includeInactive: Bool = false,
        limit: Int = 100, offset: Int = 0
    ) {
        self.kind = kind
        self.parentCode = parentCode
        self.search = search
        self.includeInactive = includeInactive
        self.limit = limit
        self.offset = offset
    }
}

/// A slice of a longer list.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

/// The unit tree.
public protocol UnitRepository: Sendable {
    /// Units matching the query, ordered by kind then code.
    func list(_ query: UnitQuery) async throws -> Page<OrgUnit>
    /// One unit by code.
    func get(code: String) async throws -> OrgUnit?
    /// The unit and its ancestors, root last; nil for an unknown unit.
    func path(of code: String) async throws -> UnitPath?
    /// The names of the units with these codes, by code (unknown codes are left out).
    func names(of codes: some Collection<String>) async throws -> [String: String]
    /// The kind of every unit, by code.
    func kinds() async throws -> [String: UnitKind]
    /// The codes of the active units of `kind`, in code order (`RankingTable.codeOrder`).
    func codes(of kind: UnitKind) async throws -> [String]
    /// The root of the tree (the steering committee): national figures are its figures, and
    /// committee decisions are recorded against it.
    func root() async throws -> String?
    /// Inserts or updates units and lineage links in one transaction.
    func save(_ units: [OrgUnit], links: [UnitLink]) async throws
    /// The units this unit took over.
    func predecessors(of code: String) async throws -> [UnitLink]
    /// The units that took this one over.
    func successors(of code: String) async throws -> [UnitLink]
}
