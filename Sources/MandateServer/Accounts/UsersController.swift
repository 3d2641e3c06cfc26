import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/users`: accounts, created by administrators.
struct UsersController {
    let accounts: AccountService
    let repository: any AccountRepository
    let access: AccessGuard

    func register(on routes: inout APIRoutes) {
        routes.authenticated(.get, "/api/v1/users", use: list)
        routes.authenticated(.post, "/api/v1/users", use: create)
    }

    struct NewUser: Decodable {
        let email: String
        let displayName: String?
        let unitCode: String
        let role: String
        let password: String
    }

    /// Users of a unit (`?unit=`, default the caller's own); reading another unit's list needs
    /// internal-read rights over it.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let unit = request.uri.queryParameters["unit"].map(String.init) ?? context.user.unitCode
        try await access.require(
            .readInternal, on: unit, by: context.user, requestId: context.id, logger: context.logger)
        return try JSONBody.response(["items": try await repository.users(unitCode: unit)])
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(NewUser.self, from: request, context: context)
        guard let role = Role(rawValue: body.role) else {
            let allowed = Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw AppError.badRequest(field: "role", "unknown role \"\(body.role)\"; expected one of \(allowed)")
        }
        try await access.require(
            .manageAccounts, on: body.unitCode, by: context.user, target: "user:\(body.email)", requestId: context.id,
            logger: context.logger)
        let user = try await accounts.createUser(
            email: body.email, displayName: body.displayName, unitCode: body.unitCode, role: role,
            password: body.password)
        return try JSONBody.response(user, status: .created)
    }
}
