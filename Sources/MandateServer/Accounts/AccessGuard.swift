import Logging
import MandateCore
import MandateStore

/// Applies `Authorizer` to a request's user and records every decision on a write.
public struct AccessGuard: Sendable {
    let units: any UnitRepository
    let audit: any AuditRepository

    public init(units: any UnitRepository, audit: any AuditRepository) {
        self.units = units
        self.audit = audit
    }

    /// Returns when `user` may perform `action` on `unitCode`; throws 403 (and logs it) otherwise.
    public func require(
        _ action: Action, on unitCode: String, by user: User, target: String? = nil, requestId: String?,
        logger: Logger
    ) async throws {
        guard let path = try await units.path(of: unitCode) else {
            throw AppError.badRequest(field: "unit", "unknown unit \"\(unitCode)\"")
        }
        let decision = Authorizer.decide(role: user.role, userUnit: user.unitCode, target: path, action: action)
        var reason: String?
        if case .deny(let why) = decision { reason = why }
        if action.scope != .internalRead || !decision.isAllowed {
            let event = AuditEvent(
                at: Timestamp.now(), userId: user.id, role: user.role, userUnit: user.unitCode,
                action: action.rawValue, targetUnit: unitCode, target: target, allowed: decision.isAllowed,
                reason: reason, requestId: requestId)
            // An allowed write is recorded with the write, in its transaction; a denial at once.
            if decision.isAllowed, let pending = PendingAudit.current {
                pending.add(event)
            } else {
                try await audit.record(event)
            }
        }
        if let reason {
            logger.warning(
                "denied write",
                metadata: [
                    "user": "\(user.id)", "role": "\(user.role.rawValue)", "action": "\(action.rawValue)",
                    "unit": "\(unitCode)", "reason": "\(reason)",
                ])
            throw AppError.forbidden(reason)
        }
    }

    /// Refuses a write the unit tree allows but the subject does not (e.g. a report for a task
    /// the unit neither leads nor coordinates): recorded like any denied write, then 403.
    public func refuse(
        _ action: Action, on unitCode: String, by user: User, target: String?, reason: String, requestId: String?,
        logger: Logger
    ) async throws -> Never {
        try await audit.record(
            AuditEvent(
                at: Timestamp.now(), userId: user.id, role: user.role, userUnit: user.unitCode,
                action: action.rawValue, targetUnit: unitCode, target: target, allowed: false, reason: reason,
                requestId: requestId))
        logger.warning(
            "denied write",
            metadata: [
                "user": "\(user.id)", "role": "\(user.role.rawValue)", "action": "\(action.rawValue)",
                "unit": "\(unitCode)", "reason": "\(reason)",
            ])
        throw AppError.forbidden(reason)
    }
}
