import Testing

@testable import MandateCore

/// The whole matrix: every role × where the target unit sits relative to the user's unit × every action.
@Suite struct AuthorizerTests {
    enum Relation: String, CaseIterable, Sendable {
        case own, below, above, unrelated
    }

    /// The user is the unit head/reporter/… of province 01 (or, for committee roles, of BCD).
    static func paths(userUnit: String) -> [Relation: UnitPath] {
        if userUnit == "BCD" {
            return [
                .own: UnitPath(["BCD"]), .below: UnitPath(["01", "BCD"]), .above: UnitPath(["ROOT"]),
                .unrelated: UnitPath(["X", "ROOT"]),
            ]
        }
        return [
            .own: UnitPath(["01", "BCD"]), .below: UnitPath(["00004", "01", "BCD"]), .above: UnitPath(["BCD"]),
            .unrelated: UnitPath(["48", "BCD"]),
        ]
    }

    // The expectation, written out independently of the implementation's scopes.
    static let committeeDecisions: Set<String> = [
        "assign_task", "define_programme", "review_report", "adopt_proposal", "decide_extension", "define_indicator",
        "define_ranking_method", "publish_ranking", "allocate_budget", "read_audit", "audit_catalogue",
    ]
    /// What citizens say of a unit: its head moderates it, and committee roles every unit's.
    static let moderation: Set<String> = ["moderate_feedback"]
    static let unitReporting: Set<String> = [
        "report_progress", "enter_value", "request_extension", "propose_task", "raise_recommendation",
        "answer_recommendation", "answer_feedback", "edit_catalogue", "report_budget",
    ]
    static let signOff: Set<String> = ["submit_report", "approve_value", "sign_off", "approve_catalogue"]

    static let publicContributions: Set<String> = ["rate_service"]

    static func expected(_ role: Role, _ relation: Relation, _ action: Action) -> Bool {
        let name = action.rawValue
        if publicContributions.contains(name) { return true }
        if name == "manage_own_tokens" { return relation == .own }
        if name == "read_internal" {
            return role == .admin || role == .committeeAnalyst || relation == .own || relation == .below
        }
        switch role {
        case .admin:
            return true
        case .committeeAnalyst:
            return committeeDecisions.contains(name) || unitReporting.contains(name) || moderation.contains(name)
        case .unitHead:
            return relation == .own
                && (unitReporting.contains(name) || signOff.contains(name) || moderation.contains(name))
        case .unitReporter:
            return relation == .own && unitReporting.contains(name)
        case .viewer:
            return false
        }
    }

    @Test(arguments: Role.allCases)
    func matrix(role: Role) {
        let userUnit = role.isCommitteeRole ? "BCD" : "01"
        let paths = Self.paths(userUnit: userUnit)
        for relation in Relation.allCases {
            for action in Action.allCases {
                let decision = Authorizer.decide(
                    role: role, userUnit: userUnit, target: paths[relation] ?? UnitPath([]), action: action)
                #expect(
                    decision.isAllowed == Self.expected(role, relation, action),
                    "\(role.rawValue) on \(relation.rawValue) unit, \(action.rawValue): \(decision)")
            }
        }
    }

    @Test func everyActionIsCoveredByTheExpectation() {
        let listed = Self.committeeDecisions.union(Self.unitReporting).union(Self.signOff).union(Self.moderation)
            .union(["manage_units", "manage_accounts", "manage_own_tokens", "read_internal", "read_metrics"])
            .union(Self.publicContributions)
        #expect(Set(Action.allCases.map(\.rawValue)) == listed)
    }

    /// An API token acts exactly as its holder would, signed in.
    @Test(arguments: Role.allCases)
    func tokenActsAsItsHolder(role: Role) {
        let userUnit = role.isCommitteeRole ? "BCD" : "01"
        for (relation, path) in Self.paths(userUnit: userUnit) {
            for action in Action.allCases {
                let decision = Authorizer.decide(.token(role: role, unit: userUnit), target: path, action: action)
                #expect(
                    decision.isAllowed == Self.expected(role, relation, action),
                    "token of a \(role.rawValue) on \(relation.rawValue) unit, \(action.rawValue): \(decision)")
            }
        }
    }

    /// An anonymous visitor may make public contributions on any unit, and nothing else.
    @Test func anonymousVisitorsMayOnlyContribute() {
        for path in Self.paths(userUnit: "01").values {
            for action in Action.allCases {
                let decision = Authorizer.decide(.anonymous, target: path, action: action)
                #expect(
                    decision.isAllowed == Self.publicContributions.contains(action.rawValue),
                    "anonymous, \(action.rawValue): \(decision)")
                if !decision.isAllowed { #expect(decision == .deny(reason: "sign in to \(action.phrase)")) }
            }
        }
        #expect(!Authorizer.decide(.anonymous, target: UnitPath([]), action: .rateService).isAllowed)
    }

    /// `maySomewhere` is true exactly when some unit of the matrix allows the action.
    @Test(arguments: Role.allCases)
    func maySomewhereIsTheMatrixOverEveryUnit(role: Role) {
        let userUnit = role.isCommitteeRole ? "BCD" : "01"
        for action in Action.allCases {
            let somewhere = Relation.allCases.contains { Self.expected(role, $0, action) }
            #expect(
                Authorizer.maySomewhere(.user(role: role, unit: userUnit), action) == somewhere,
                "\(role.rawValue), \(action.rawValue)")
        }
        #expect(!Authorizer.maySomewhere(.anonymous, .enterValue))
        #expect(Authorizer.maySomewhere(.anonymous, .rateService))
    }

    @Test func unknownTargetIsDenied() {
        #expect(!Authorizer.decide(role: .admin, userUnit: "BCD", target: UnitPath([]), action: .manageUnits).isAllowed)
    }

    @Test func denialsSayWhy() {
        let decision = Authorizer.decide(
            role: .unitReporter, userUnit: "01", target: UnitPath(["48", "BCD"]), action: .enterValue)
        #expect(decision == .deny(reason: "unit_reporter of 01 may not act for 48"))
    }
}
