import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/healthz`, `/metrics` and the OpenAPI document.
struct SystemController {
    let database: any MandateDatabase
    let metrics: HTTPMetrics
    let openAPIDocument: Data
    /// Client addresses `/metrics` answers without credentials (`--metrics-from`).
    let metricsFrom: Set<String>

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/openapi.json", use: openAPI)
        routes.on(.get, "/healthz", use: health)
        routes.on(.get, "/metrics", use: prometheus)
        // Browsers ask for it on their own; an empty answer keeps their consoles free of 404s.
        routes.router.get("/favicon.ico") { _, _ in
            Response(status: .noContent, headers: [.cacheControl: "public, max-age=86400"])
        }
    }

    struct Health: Encodable {
        let status: String
        let database: String
        let detail: String?
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await database.ping()
            return try JSONBody.response(Health(status: "ok", database: database.flavor.rawValue, detail: nil))
        } catch {
            context.logger.error("health check failed", metadata: ["error": "\(error)"])
            return try JSONBody.response(
                Health(
                    status: "unavailable", database: database.flavor.rawValue, detail: "the database does not answer"),
                status: .serviceUnavailable)
        }
    }

    /// The metrics, to a listed address or to a principal `Authorizer` lets read them (an
    /// administrator's session or API token); 403 to anyone else.
    @Sendable func prometheus(_ request: Request, context: AppRequestContext) async throws -> Response {
        if !metricsFrom.contains(request.clientAddress(context)) {
            let principal = context.identity?.principal ?? .anonymous
            let unit = context.identity.map { UnitPath([$0.user.unitCode]) } ?? UnitPath(["-"])
            if case .deny(let reason) = Authorizer.decide(principal, target: unit, action: .readMetrics) {
                throw AppError.forbidden(
                    "\(reason); the metrics are also served to the addresses the server lists (--metrics-from)")
            }
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "public, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
    }
}
