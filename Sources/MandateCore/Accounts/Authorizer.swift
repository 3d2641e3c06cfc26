/// The outcome of an authorisation decision.
public enum Decision: Sendable, Equatable {
    case allow
    case deny(reason: String)

    public var isAllowed: Bool { self == .allow }
}

/// The one place that decides whether a user may act on a unit.
///
/// Rules, by the action's scope:
/// - administration (units, accounts): admins only;
/// - personal (one's own API tokens): any role, on its own unit;
/// - committee decisions: admins and committee analysts, on any unit;
/// - a unit's own reporting: reporters and heads on their own unit; committee roles on any unit;
/// - a unit head's sign-off: heads on their own unit, and admins (never analysts: the committee
///   reviews what units sign off, so it does not sign off for them);
/// - internal reads: anyone on their own unit or a unit below it; committee roles everywhere.
public enum Authorizer {
    public static func decide(role: Role, userUnit: String, target: UnitPath, action: Action) -> Decision {
        guard let targetUnit = target.unit else { return .deny(reason: "the target unit is unknown") }
        let own = targetUnit == userUnit
        let below = target.isWithin(userUnit)
        switch action.scope {
        case .administration:
            return role == .admin ? .allow : .deny(reason: "only administrators may \(action.phrase)")
        case .personal:
            return own ? .allow : .deny(reason: "tokens belong to their holder's own unit")
        case .committee:
            return role.isCommitteeRole ? .allow : .deny(reason: "only committee roles may \(action.phrase)")
        case .unitReporting:
            if role.isCommitteeRole { return .allow }
            guard role == .unitReporter || role == .unitHead else {
                return .deny(reason: "a \(role.rawValue) may not write")
            }
            return own ? .allow : .deny(reason: "\(role.rawValue) of \(userUnit) may not act for \(targetUnit)")
        case .unitSignOff:
            if role == .admin { return .allow }
            guard role == .unitHead else { return .deny(reason: "only the unit head may \(action.phrase)") }
            return own ? .allow : .deny(reason: "the head of \(userUnit) may not sign off for \(targetUnit)")
        case .internalRead:
            if role.isCommitteeRole || below { return .allow }
            return .deny(reason: "\(targetUnit) is outside \(userUnit)")
        }
    }
}
