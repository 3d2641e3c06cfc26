import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/tokens`: a user's API tokens for machine clients.
struct TokensController {
    let accounts: AccountService
    let repository: any AccountRepository
    let access: AccessGuard
    let clock: AppClock

    func register(on routes: inout APIRoutes) {
        routes.authenticated(.get, "/api/v1/tokens", use: list)
        routes.authenticated(.post, "/api/v1/tokens", use: create)
        routes.authenticated(.delete, "/api/v1/tokens/{id}", use: delete)
    }

    struct NewToken: Decodable {
        let name: String
        /// The caller's password, given again.
        let password: String
        let expiresInDays: Int?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(["items": try await repository.tokens(userId: context.user.id)])
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(NewToken.self, from: request, context: context)
        try await access.require(
            .manageOwnTokens, on: context.user.unitCode, by: context.identity, requestId: context.id,
            logger: context.logger
        )
        return try JSONBody.response(
            try await accounts.issueToken(
                for: context.user, name: body.name, password: body.password, days: body.expiresInDays),
            status: .created)
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try context.parameters.require("id")
        try await access.require(
            .manageOwnTokens, on: context.user.unitCode, by: context.identity, target: "token:\(id)",
            requestId: context.id,
            logger: context.logger)
        guard try await repository.revokeToken(id: id, userId: context.user.id, at: clock.now()) else {
            throw AppError.notFound("you have no live token with id \"\(id)\"")
        }
        return Response(status: .noContent)
    }
}
