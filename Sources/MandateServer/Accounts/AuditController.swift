import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `GET /api/v1/audit`: the latest authorisation decisions on writes, for committee roles.
struct AuditController {
    let audit: any AuditRepository

    func register(on routes: inout APIRoutes) {
        routes.authenticated(.get, "/api/v1/audit", use: list)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        // A committee decision: the same on every unit, so decided on the caller's own.
        let own = UnitPath([context.user.unitCode])
        if case .deny(let reason) = Authorizer.decide(context.identity.principal, target: own, action: .readAudit) {
            throw AppError.forbidden(reason)
        }
        let parameters = request.uri.queryParameters
        let limit = try UnitsController.integer(parameters, "limit", default: 100, in: 1...1000)
        let deniedOnly = try UnitsController.boolean(parameters, "denied") ?? false
        return try JSONBody.response(["items": try await audit.recent(limit: limit, deniedOnly: deniedOnly)])
    }
}
