/// The outcome of an authorisation decision.
public enum Decision: Sendable, Equatable {
    case allow
    case deny(reason: String)

    public var isAllowed: Bool { self == .allow }
}

/// The one place that decides whether a principal may act on a unit.
///
/// Rules, by the action's scope:
/// - public contributions (rating a service): every principal, anonymous visitors included;
/// - anything else needs a signed-in user or one of its API tokens (which acts as its holder),
///   and nothing is allowed to a user who must first set up a second factor (`SecondFactor`);
/// - administration (units, accounts, the server's metrics): admins only;
/// - personal (one's own API tokens): any role, on its own unit;
/// - committee decisions: admins and committee analysts, on any unit;
/// - a unit's own reporting: reporters and heads on their own unit; committee roles on any unit;
/// - a unit head's sign-off: heads on their own unit, and admins (never analysts: the committee
///   reviews what units sign off, so it does not sign off for them);
/// - internal reads: anyone on their own unit or a unit below it; committee roles everywhere;
/// - moderating what citizens say of a unit: its head, and committee roles on any unit.
public enum Authorizer {
    public static func decide(_ principal: Principal, target: UnitPath, action: Action) -> Decision {
        guard target.unit != nil else { return .deny(reason: "the target unit is unknown") }
        if action.scope == .publicContribution { return .allow }
        guard let (role, unit) = principal.membership else {
            return .deny(reason: "sign in to \(action.phrase)")
        }
        if case .enrolling = principal { return .deny(reason: SecondFactor.enrolFirst(action)) }
        return decide(role: role, userUnit: unit, target: target, action: action)
    }

    /// Whether `principal` may perform `action` on at least one unit: asked before a large
    /// request is read (an import), so that a caller who may write nowhere is refused before the
    /// server spends anything on its body. Every scope that allows a role anywhere allows it on
    /// the role's own unit, so the answer is the decision there.
    public static func maySomewhere(_ principal: Principal, _ action: Action) -> Bool {
        guard let (_, unit) = principal.membership else { return action.scope == .publicContribution }
        return decide(principal, target: UnitPath([unit]), action: action).isAllowed
    }

    /// The decision for a signed-in user of `role` in `userUnit` (or one of its tokens).
    public static func decide(role: Role, userUnit: String, target: UnitPath, action: Action) -> Decision {
        guard let targetUnit = target.unit else { return .deny(reason: "the target unit is unknown") }
        let own = targetUnit == userUnit
        let below = target.isWithin(userUnit)
        switch action.scope {
        case .publicContribution:
            return .allow
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
        case .unitModeration:
            if role.isCommitteeRole { return .allow }
            guard role == .unitHead else { return .deny(reason: "only the unit head may \(action.phrase)") }
            return own ? .allow : .deny(reason: "the head of \(userUnit) may not moderate for \(targetUnit)")
        case .internalRead:
            if role.isCommitteeRole || below { return .allow }
            return .deny(reason: "\(targetUnit) is outside \(userUnit)")
        }
    }
}
