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
        guard context.user.role.isCommitteeRole else {
            throw AppError.forbidden("only committee roles may read the audit trail")
        }
        let parameters = request.uri.queryParameters
        let limit = try UnitsController.integer(parameters, "limit", default: 100, in: 1...1000)
        let deniedOnly = parameters["denied"].map { $0 == "true" } ?? false
        return try JSONBody.response(["items": try await audit.recent(limit: limit, deniedOnly: deniedOnly)])
    }
}
