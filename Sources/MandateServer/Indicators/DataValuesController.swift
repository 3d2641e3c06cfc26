import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/dataValues` and `/api/v1/dataValueSets`: entering, approving, importing and exporting values.
struct DataValuesController {
    let service: ValueService
    var values: any DataValueRepository { service.values }
    var indicators: any IndicatorRepository { service.indicators }
    var units: any UnitRepository { service.units }

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/dataValues", use: export)
        routes.authenticated(.post, "/api/v1/dataValues", use: enter)
        routes.authenticated(.get, "/api/v1/dataValues/{indicator}/{unit}/{period}", use: get)
        routes.authenticated(.post, "/api/v1/dataValues/{indicator}/{unit}/{period}/approve", use: approve)
        routes.authenticated(.post, "/api/v1/dataValueSets", use: importSet)
    }

    /// A value entered through the API.
    struct NewValue: Decodable {
        let indicator: String
        let unit: String
        let period: String
        let value: DataValueFile.ValueField
        let comment: String?
        let evidence: String?
    }

    /// Stores one value as a draft for the unit head to approve.
    @Sendable func enter(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(NewValue.self, from: request, context: context)
        let key = DataValueKey(indicator: body.indicator, unit: body.unit, period: body.period)
        let input = DataValueInput(
            key: key, value: body.value.text, comment: body.comment, evidence: body.evidence, origin: .single)
        let (stored, created) = try await service.enter(input, context.caller)
        return try JSONBody.response(stored, status: created ? .created : .ok)
    }

    /// A value with its earlier versions.
    struct ValueDetail: Encodable {
        let value: DataValue
        let history: [DataValueRevision]
    }

    /// One value, draft or approved, with its history: for those who may read the unit's internal data.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let key = try Self.key(context.parameters)
        try await service.requireInternalRead(key.unit, context.caller)
        guard let value = try await values.get(key) else { throw AppError.notFound("no value for \(key)") }
        return try JSONBody.response(ValueDetail(value: value, history: try await values.history(of: key)))
    }

    /// The unit head's approval: the value becomes public and rolls up.
    @Sendable func approve(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        return try JSONBody.response(try await service.approve(try Self.key(context.parameters), context.caller))
    }

    static func key(_ parameters: Parameters) throws -> DataValueKey {
        let period = try parameters.require("period")
        do {
            _ = try Period(period)
        } catch {
            throw AppError.badRequest(field: "period", error.reason)
        }
        return DataValueKey(
            indicator: try parameters.require("indicator"), unit: try parameters.require("unit"), period: period)
    }

    /// Imports a whole set, all or nothing: JSON (`{"dataValues": […]}`) or CSV
    /// (`indicator,unit,period,value[,comment][,evidence]`). Drafts, unless `?approve=true` and the caller may
    /// approve for every unit in it.
    /// A caller who may write values nowhere is refused before the body is read, and at most
    /// `ValueService.imports` sets are read and checked at once.
    @Sendable func importSet(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let approve = try UnitsController.boolean(request.uri.queryParameters, "approve") ?? false
        try await service.requireMayImport(approve: approve, context.caller)
        guard type.hasPrefix("application/json") || type.hasPrefix("text/csv") else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send application/json ({\"dataValues\": […]}) or text/csv")
        }
        let summary = try await service.imports.run {
            let body = try await request.body.collect(upTo: Self.maximumImportSize)
            // Every row is read first: the units it names must be the caller's to write. A row that
            // cannot be read is reported with the others' problems.
            let parts =
                type.hasPrefix("text/csv")
                ? try DataValueParts.csv(Array(buffer: body)) : try DataValueFile.json(Data(buffer: body))
            return try await service.importSet(parts, approve: approve, context.caller)
        }
        return try JSONBody.response(summary)
    }

    static let maximumImportSize = 64 * 1024 * 1024
    static let maximumExport = 100_000

    /// Approved values of a slice, as CSV (`?format=csv` or `Accept: text/csv`) or JSON, in the shapes
    /// the import takes. `indicator`, `unit` and `period` take comma-separated lists.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        func list(_ name: String) -> [String] {
            (parameters[Substring(name)].map(String.init) ?? "").split(separator: ",").map {
                String($0).trimmingWhitespace()
            }.filter { !$0.isEmpty }
        }
        let periods = list("period")
        for period in periods {
            do {
                _ = try Period(period)
            } catch {
                throw AppError.badRequest(field: "period", "\(period): \(error.reason)")
            }
        }
        let limit = try UnitsController.integer(parameters, "limit", default: 10_000, in: 1...Self.maximumExport)
        let offset = try UnitsController.integer(parameters, "offset", default: 0, in: 0...Int(Int32.max))
        // A code that names nothing is a mistake to say, not an empty slice to give.
        let known = Set(try await indicators.list().map(\.code))
        if let unknown = list("indicator").first(where: { !known.contains($0) }) {
            throw AppError.notFound(field: "indicator", "no indicator has code \"\(unknown)\"")
        }
        let units = list("unit")
        let named = try await self.units.names(of: Set(units))
        if let unknown = units.first(where: { named[$0] == nil }) {
            throw AppError.notFound(field: "unit", "no unit has code \"\(unknown)\"")
        }
        // One row more than asked tells whether the slice goes on.
        var rows = try await values.list(
            ValueQuery(
                indicators: list("indicator"), units: units, periods: periods, limit: limit + 1, offset: offset))
        var headers = HTTPFields()
        if rows.count > limit {
            rows.removeLast()
            var next = URLComponents()
            next.path = "/api/v1/dataValues"
            next.queryItems =
                parameters.filter { $0.key != "offset" }.map {
                    URLQueryItem(name: String($0.key), value: String($0.value))
                }
                + [URLQueryItem(name: "offset", value: String(offset + limit))]
            headers[HTTPField.Name("Link")!] = "<\(next.string ?? "")>; rel=\"next\""
        }
        let format =
            parameters["format"].map(String.init)
            ?? (request.headers[.accept]?.contains("text/csv") == true ? "csv" : "json")
        switch format {
        case "csv":
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: DataValueExport.csv(rows))))
        case "json":
            let illustrative = Set(try await indicators.list().filter(\.illustrative).map(\.code))
            var response = JSONBody.response(
                encoded: DataValueExport.json(rows, illustrative: illustrative), cache: "no-store")
            for field in headers { response.headers.append(field) }
            return response
        default:
            throw AppError.badRequest(field: "format", "expected csv or json")
        }
    }
}
