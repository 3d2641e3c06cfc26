/// An organisational unit: the committee, a ministry, a province, a commune or a partner.
public struct OrgUnit: Codable, Sendable, Hashable, Identifiable {
    public var code: String
    public var kind: UnitKind
    /// Full official name in Vietnamese, e.g. "Thành phố Hà Nội".
    public var name: String
    /// Name without its type word, e.g. "Hà Nội".
    public var shortName: String
    /// English name where one is established (ministries); nil otherwise.
    public var nameEn: String?
    /// Administrative type word, e.g. "Tỉnh", "Thành phố", "Phường", "Xã", "Đặc khu", "Bộ".
    public var type: String
    public var parentCode: String?
    public var latitude: Double?
    public var longitude: Double?
    public var areaKm2: Double?
    /// False for units that no longer exist (e.g. the 63 provinces before 1 July 2025).
    public var active: Bool

    public var id: String { code }

    public init(
        code: String, kind: UnitKind, name: String, shortName: String, nameEn: String? = nil, type: String,
        parentCode: String?, latitude: Double? = nil, longitude: Double? = nil, areaKm2: Double? = nil,
        active: Bool = true
    ) {
        self.code = code
        self.kind = kind
        self.name = name
        self.shortName = shortName
        self.nameEn = nameEn
        self.type = type
        self.parentCode = parentCode
        self.latitude = latitude
        self.longitude = longitude
        self.areaKm2 = areaKm2
        self.active = active
    }

    /// The key the directory search matches against: names and code, folded.
    public var searchKey: String {
        SearchKey.fold([name, shortName, nameEn ?? "", code].joined(separator: " "))
    }
}

/// A predecessor link: `unitCode` took over `predecessorCode` on `effectiveOn` (ISO date).
public struct UnitLink: Codable, Sendable, Hashable {
    public var unitCode: String
    public var predecessorCode: String
    public var effectiveOn: String

    public init(unitCode: String, predecessorCode: String, effectiveOn: String) {
        self.unitCode = unitCode
        self.predecessorCode = predecessorCode
        self.effectiveOn = effectiveOn
    }
}
