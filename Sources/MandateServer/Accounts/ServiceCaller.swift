import Logging
import MandateCore

/// Who calls a capability's service: the principal `Authorizer` decides for, the account behind
/// it (none for an anonymous visitor), and the request, for the audit trail and the logs.
struct ServiceCaller: Sendable {
    var principal: Principal
    var user: User?
    var requestId: String?
    var logger: Logger
}

extension AppRequestContext {
    var caller: ServiceCaller {
        ServiceCaller(
            principal: identity?.principal ?? .anonymous, user: identity?.user, requestId: id, logger: logger)
    }
}

extension AuthenticatedContext {
    var caller: ServiceCaller {
        ServiceCaller(principal: identity.principal, user: user, requestId: id, logger: logger)
    }
}

extension AccessGuard {
    /// Returns when the caller may perform `action` on `unit`; throws 403 (and audits) otherwise.
    func require(_ action: Action, on unit: String, _ caller: ServiceCaller, target: String?) async throws {
        try await require(
            action, on: unit, principal: caller.principal, userId: caller.user?.id, target: target,
            requestId: caller.requestId, logger: caller.logger)
    }

    /// Whether `principal` defines indicators and their rules: on its own unit, where
    /// `ValueService.define` asks it; what the indicator pages ask before they link the form.
    func definesIndicators(_ principal: Principal?) async throws -> Bool {
        guard let principal, let unit = principal.membership?.unit else { return false }
        return try await may(principal, .defineIndicator, on: unit)
    }

    /// Whether the principal may perform `action` on `unit`, without recording anything: for
    /// showing only the forms that would be accepted, and for reads reserved to some roles.
    func may(_ principal: Principal, _ action: Action, on unit: String) async throws -> Bool {
        // Whoever may do it nowhere (an anonymous reader, a viewer) needs no look at the tree.
        guard Authorizer.maySomewhere(principal, action), let path = try await units.path(of: unit) else {
            return false
        }
        return Authorizer.decide(principal, target: path, action: action).isAllowed
    }
}
