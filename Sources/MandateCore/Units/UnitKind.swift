/// The kind of an organisational unit in the programme's unit tree.
public enum UnitKind: String, Codable, Sendable, CaseIterable, ListedValues, Comparable {
    case committee
    case ministry
    case province
    case commune
    case partner

    /// Kinds a unit of this kind may have as its parent.
    public var allowedParentKinds: Set<UnitKind> {
        switch self {
        case .committee: []
        case .ministry, .province, .partner: [.committee]
        case .commune: [.province]
        }
    }

    public static func < (lhs: UnitKind, rhs: UnitKind) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .committee: 0
        case .ministry: 1
        case .province: 2
        case .commune: 3
        case .partner: 4
        }
    }
}
