import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `GET /api/v1/units` and `GET /api/v1/units/{code}`: the public unit tree; `POST
/// /api/v1/partners` and `PUT /api/v1/partners/{code}`: partner units, by administrators.
struct UnitsController {
    let units: any UnitRepository
    let cache: ResponseCache
    let partners: PartnerService

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/units", use: list)
        routes.on(.get, "/api/v1/units/{code}", use: get)
        routes.authenticated(.post, "/api/v1/partners", use: createPartner)
        routes.authenticated(.put, "/api/v1/partners/{code}", use: updatePartner)
    }

    @Sendable func createPartner(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await partners.requireMayManage(context.caller, target: "unit")
        let draft = try await JSONBody.decode(PartnerDraft.self, from: request, context: context)
        return try JSONBody.response(try await partners.save(draft, code: nil, context.caller), status: .created)
    }

    @Sendable func updatePartner(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let code = try context.parameters.require("code")
        try await partners.requireMayManage(context.caller, target: "unit:\(code)")
        let draft = try await JSONBody.decode(PartnerDraft.self, from: request, context: context)
        return try JSONBody.response(try await partners.save(draft, code: code, context.caller))
    }

    static let maximumLimit = 5000

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try Self.query(request.uri.queryParameters)
        return try await cache.respond(to: request, key: "units?\(request.uri.query ?? "")", dependingOn: [.units]) {
            try JSONEncoder.api.encode(try await units.list(query))
        }
    }

    static func query(_ parameters: Parameters) throws -> UnitQuery {
        var query = UnitQuery()
        if let kind = parameters["kind"] {
            guard let value = UnitKind(rawValue: String(kind)) else {
                let allowed = UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw AppError.badRequest(field: "kind", "unknown kind \"\(kind)\"; expected one of \(allowed)")
            }
            query.kind = value
        }
        query.parentCode = parameters["parent"].map(String.init)
        query.search = parameters.formValue("search") ?? parameters.formValue("q")
        if let inactive = try boolean(parameters, "includeInactive") { query.includeInactive = inactive }
        query.limit = try integer(parameters, "limit", default: 100, in: 1...maximumLimit)
        query.offset = try integer(parameters, "offset", default: 0, in: 0...Int(Int32.max))
        return query
    }

    /// A query parameter that is `true` or `false`, if given; anything else is refused (400).
    static func boolean(_ parameters: Parameters, _ name: String) throws -> Bool? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let value = Bool(String(text)) else {
            throw AppError.badRequest(field: name, "expected true or false")
        }
        return value
    }

    static func integer(
        _ parameters: Parameters, _ name: String, default value: Int, in range: ClosedRange<Int>
    )
        throws -> Int
    {
        guard let text = parameters[Substring(name)] else { return value }
        guard let number = Int(String(text)), range.contains(number) else {
            throw AppError.badRequest(
                field: name, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        return try await cache.respond(to: request, key: "unit/\(code)", dependingOn: [.units]) {
            guard let unit = try await units.get(code: code) else {
                throw AppError.notFound("no unit has code \"\(code)\"")
            }
            let detail = UnitDetail(
                unit: unit, path: try await units.path(of: code)?.codes ?? [code],
                predecessors: try await units.predecessors(of: code), successors: try await units.successors(of: code))
            return try JSONEncoder.api.encode(detail)
        }
    }
}

/// A unit with its place in the tree and its lineage.
struct UnitDetail: Encodable {
    let unit: OrgUnit
    /// The unit's code and its ancestors', root last.
    let path: [String]
    let predecessors: [UnitLink]
    let successors: [UnitLink]

    enum Keys: String, CodingKey { case path, predecessors, successors }

    func encode(to encoder: any Encoder) throws {
        try unit.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(path, forKey: .path)
        try container.encode(predecessors, forKey: .predecessors)
        try container.encode(successors, forKey: .successors)
    }
}
