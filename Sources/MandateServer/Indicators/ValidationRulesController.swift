import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/validationRules`: the rules values must keep (public to read, committee roles to write).
struct ValidationRulesController {
    let indicators: any IndicatorRepository
    let access: AccessGuard

    func register(on routes: inout APIRoutes) {
        routes.publicRead("/api/v1/validationRules", use: list)
        routes.authenticated(.put, "/api/v1/validationRules/{code}", use: update)
        routes.authenticated(.delete, "/api/v1/validationRules/{code}", use: delete)
    }

    @Sendable func list(_ request: Request, context: PublicContext) async throws -> Response {
        try JSONBody.response(["items": try await indicators.rules()])
    }

    /// Creates or replaces the rule with the path's code; every problem with it is named by field.
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let rule = try await JSONBody.decode(ValidationRule.self, from: request, context: context)
        try await access.require(
            .defineIndicator, on: context.user.unitCode, by: context.user, target: "rule:\(code)",
            requestId: context.id, logger: context.logger)
        guard rule.code == code else {
            throw AppError.badRequest(field: "code", "the body's code \"\(rule.code)\" is not the path's \"\(code)\"")
        }
        let known = Set(try await indicators.list().map(\.code))
        let problems = rule.problems(known: known)
        if !problems.isEmpty { throw ValidationFailure(problems) }
        let existed = try await indicators.rules().contains { $0.code == code }
        try await indicators.saveRules([rule])
        return try JSONBody.response(rule, status: existed ? .ok : .created)
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let code = try context.parameters.require("code")
        try await access.require(
            .defineIndicator, on: context.user.unitCode, by: context.user, target: "rule:\(code)",
            requestId: context.id, logger: context.logger)
        guard try await indicators.deleteRule(code: code) else {
            throw AppError.notFound("no rule has code \"\(code)\"")
        }
        return Response(status: .noContent)
    }
}
