import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/validationRules`: the rules values must keep (public to read, committee roles to write).
struct ValidationRulesController {
    let service: ValueService
    var indicators: any IndicatorRepository { service.indicators }

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
        let created = try await service.save(rule, code: code, context.caller)
        return try JSONBody.response(rule, status: created ? .created : .ok)
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await service.deleteRule(try context.parameters.require("code"), context.caller)
        return Response(status: .noContent)
    }
}
