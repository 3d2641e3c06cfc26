import Logging
import MandateCore
import MandateStore

/// Applies `Authorizer` to a request's principal and records every decision on a write.
public struct AccessGuard: Sendable {
    let units: any UnitRepository
    let audit: any AuditRepository
    let clock: AppClock

    public init(units: any UnitRepository, audit: any AuditRepository, clock: AppClock) {
        self.units = units
        self.audit = audit
        self.clock = clock
    }

    /// Returns when whoever `identity` proves may perform `action` on `unitCode`; throws 403 (and
    /// logs it) otherwise.
    public func require(
        _ action: Action, on unitCode: String, by identity: Identity, target: String? = nil, requestId: String?,
        logger: Logger
    ) async throws {
        try await require(
            action, on: unitCode, principal: identity.principal, userId: identity.user.id, target: target,
            requestId: requestId, logger: logger)
    }

    /// Returns when `principal` (a user, a token, or an anonymous visitor with no `userId`) may
    /// perform `action` on `unitCode`; throws 403 (and logs it) otherwise.
    public func require(
        _ action: Action, on unitCode: String, principal: Principal, userId: String?, target: String? = nil,
        requestId: String?, logger: Logger
    ) async throws {
        guard let path = try await units.path(of: unitCode) else {
            // A unit that does not exist is a missing resource, however the request named it.
            throw AppError.notFound(field: "unit", "unknown unit \"\(unitCode)\"")
        }
        let decision = Authorizer.decide(principal, target: path, action: action)
        var reason: String?
        if case .deny(let why) = decision { reason = why }
        if action.scope != .internalRead || !decision.isAllowed {
            let event = AuditEvent(
                at: clock.now(), userId: userId, role: principal.membership?.role,
                userUnit: principal.membership?.unit, action: action.rawValue, targetUnit: unitCode, target: target,
                allowed: decision.isAllowed, reason: reason, requestId: requestId)
            // An allowed write is recorded with the write, in its transaction; a denial at once.
            if decision.isAllowed, let pending = PendingAudit.current {
                pending.add(event)
            } else {
                try await audit.record(event)
            }
        }
        if let reason {
            logDenial(action, on: unitCode, principal: principal, userId: userId, reason: reason, logger: logger)
            throw AppError.forbidden(reason)
        }
    }

    /// Refuses a write the unit tree allows but the subject does not (e.g. a report for a task
    /// the unit neither leads nor coordinates): recorded like any denied write, then 403.
    func refuse(
        _ action: Action, on unitCode: String, _ caller: ServiceCaller, target: String?, reason: String
    ) async throws -> Never {
        try await audit.record(
            AuditEvent(
                at: clock.now(), userId: caller.user?.id, role: caller.principal.membership?.role,
                userUnit: caller.principal.membership?.unit, action: action.rawValue, targetUnit: unitCode,
                target: target, allowed: false, reason: reason, requestId: caller.requestId))
        logDenial(
            action, on: unitCode, principal: caller.principal, userId: caller.user?.id, reason: reason,
            logger: caller.logger)
        throw AppError.forbidden(reason)
    }

    private func logDenial(
        _ action: Action, on unitCode: String, principal: Principal, userId: String?, reason: String, logger: Logger
    ) {
        logger.warning(
            "denied write",
            metadata: [
                "user": "\(userId ?? "anonymous")", "role": "\(principal.membership?.role.rawValue ?? "anonymous")",
                "action": "\(action.rawValue)", "unit": "\(unitCode)", "reason": "\(reason)",
            ])
    }
}
