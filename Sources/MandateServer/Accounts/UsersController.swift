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
        routes.authenticated(.post, "/api/v1/users/{id}/disable", use: disable)
        routes.authenticated(.post, "/api/v1/users/{id}/enable", use: enable)
        routes.authenticated(.post, "/api/v1/users/{id}/second-factor/reset", use: resetSecondFactor)
        routes.authenticated(.post, "/api/v1/users/{id}/password-reset", use: issuePasswordReset)
    }

    /// The account named in the path, once the caller is found to manage accounts of its unit.
    private func managedUser(_ context: AuthenticatedContext) async throws -> User {
        let id = try context.parameters.require("id")
        guard let user = try await repository.user(id: id) else {
            throw AppError.notFound("no user has id \"\(id)\"")
        }
        try await access.require(
            .manageAccounts, on: user.unitCode, by: context.identity, target: "user:\(id)", requestId: context.id,
            logger: context.logger)
        return user
    }

    /// An administrator of the account's unit makes a one-time link by which its owner sets a new
    /// password (`PasswordReset`), to hand over; the link is shown once.
    @Sendable func issuePasswordReset(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let user = try await managedUser(context)
        let id = user.id
        let issued = try await accounts.issuePasswordReset(for: user, by: context.user)
        context.logger.notice(
            "password reset link made", metadata: ["user": .string(id), "by": .string(context.user.id)])
        return try JSONBody.response(issued, status: .created)
    }

    /// An administrator of the account's unit removes its second factor and recovery codes (the
    /// phone and the codes both lost) and ends its sessions; its owner sets up a new one at the
    /// next sign-in.
    @Sendable func resetSecondFactor(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let user = try await managedUser(context)
        let id = user.id
        try await repository.resetSecondFactor(userId: id)
        context.logger.notice("second factor reset", metadata: ["user": .string(id), "by": .string(context.user.id)])
        guard let changed = try await repository.user(id: id) else {
            throw AppError.notFound("no user has id \"\(id)\"")
        }
        return try JSONBody.response(changed)
    }

    @Sendable func disable(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await setActive(false, context: context)
    }

    @Sendable func enable(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await setActive(true, context: context)
    }

    /// An administrator of the account's unit disables it (its sessions and tokens stop at once)
    /// or enables it again (with no session or token: its owner signs in anew).
    func setActive(_ active: Bool, context: AuthenticatedContext) async throws -> Response {
        let user = try await managedUser(context)
        let id = user.id
        if !active, user.id == context.user.id {
            throw AppError(
                .conflict, "own-account", "Own account",
                detail: "an administrator cannot disable their own account; ask another administrator")
        }
        guard let changed = try await repository.setActive(userId: id, active, at: accounts.clock.now()) else {
            throw AppError.notFound("no user has id \"\(id)\"")
        }
        context.logger.notice(
            active ? "account enabled" : "account disabled",
            metadata: ["user": .string(id), "by": .string(context.user.id)])
        return try JSONBody.response(changed)
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
            .readInternal, on: unit, by: context.identity, requestId: context.id, logger: context.logger)
        return try JSONBody.response(["items": try await repository.users(unitCode: unit)])
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(NewUser.self, from: request, context: context)
        guard let role = Role(rawValue: body.role) else {
            let allowed = Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw AppError.badRequest(field: "role", "unknown role \"\(body.role)\"; expected one of \(allowed)")
        }
        try await access.require(
            .manageAccounts, on: body.unitCode, by: context.identity, target: "user:\(body.email)",
            requestId: context.id,
            logger: context.logger)
        let user = try await accounts.createUser(
            email: body.email, displayName: body.displayName, unitCode: body.unitCode, role: role,
            password: body.password)
        return try JSONBody.response(user, status: .created)
    }
}
