import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/indicators`: definitions (public to read, committee roles to write) and roll-ups.
struct IndicatorsController {
    let service: ValueService
    var indicators: any IndicatorRepository { service.indicators }
    var values: any DataValueRepository { service.values }
    var units: any UnitRepository { service.units }
    var clock: AppClock { service.clock }

    var figures: IndicatorFigures { IndicatorFigures(values: values, indicators: indicators) }
    var reporting: UnitTimeliness { UnitTimeliness(indicators: indicators, values: values, units: units) }

    func register(on routes: inout APIRoutes) {
        routes.publicRead("/api/v1/indicators", use: list)
        routes.authenticated(.post, "/api/v1/indicators", use: create)
        routes.publicRead("/api/v1/indicators/{code}", use: get)
        routes.authenticated(.put, "/api/v1/indicators/{code}", use: update)
        routes.publicRead("/api/v1/indicators/{code}/rollup", use: rollup)
        routes.publicRead("/api/v1/indicators/{code}/series", use: series)
        routes.on(.get, "/api/v1/units/{code}/timeliness", use: timeliness)
    }

    @Sendable func list(_ request: Request, context: PublicContext) async throws -> Response {
        try JSONBody.response(["items": try await indicators.list()])
    }

    @Sendable func get(_ request: Request, context: PublicContext) async throws -> Response {
        try JSONBody.response(try await require(try context.parameters.require("code")))
    }

    func require(_ code: String) async throws -> Indicator {
        guard let indicator = try await indicators.get(code: code) else {
            throw AppError.notFound("no indicator has code \"\(code)\"")
        }
        return indicator
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let indicator = try await JSONBody.decode(Indicator.self, from: request, context: context)
        return try JSONBody.response(
            try await service.define(indicator, replacing: nil, context.caller), status: .created)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let indicator = try await JSONBody.decode(Indicator.self, from: request, context: context)
        return try JSONBody.response(try await service.define(indicator, replacing: code, context.caller))
    }

    /// The roll-up of an indicator over the units below `unit` (default: the committee, i.e. the
    /// nation), and the unit's public figure.
    struct Rollup: Encodable {
        let indicator: String
        let unit: String
        let period: String
        let method: RollupMethod
        /// Nil when no approved value below the unit rolls up (or the method is `none`).
        let value: Double?
        /// How many approved values it combines.
        let count: Int
        let target: Double?
        let illustrative: Bool
        /// The unit's public figure (`PublicFigure`): its own approved value, else `value`; nil when neither.
        let figure: Double?
        /// Where `figure` comes from: `own` or `rollup`.
        let source: PublicFigure.Source?
    }

    @Sendable func rollup(_ request: Request, context: PublicContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let parameters = request.uri.queryParameters
        let periodText = parameters["period"].map(String.init)
        let asked = parameters["unit"].map(String.init)
        guard let unit = try await asked == nil ? units.root() : asked else {
            throw AppError.notFound("the unit tree has no committee")
        }
        // The reads do not depend on one another: run at once, they take one round trip, not four.
        let asPeriod = periodText.flatMap { try? Period($0) }
        async let indicatorRead = require(code)
        async let unitRead = units.get(code: unit)
        async let totalsRead = totals(code, unit: unit, period: asPeriod)
        async let ownRead = own(code, unit: unit, period: asPeriod)
        let indicator = try await indicatorRead
        guard let periodText else {
            throw AppError.badRequest(field: "period", "is required, e.g. 2026, 2026Q1 or 202603")
        }
        let period: Period
        do {
            period = try Period(periodText)
        } catch {
            throw AppError.badRequest(field: "period", error.reason)
        }
        guard period.frequency == indicator.frequency else {
            throw AppError.badRequest(
                field: "period",
                "\(indicator.code) is reported \(indicator.frequency.rawValue); \(period.id) is a "
                    + period.frequency.periodName)
        }
        guard try await unitRead != nil else { throw AppError.notFound("no unit has code \"\(unit)\"") }
        let totals = try await totalsRead
        let figure = PublicFigure.of(own: try await ownRead, below: totals, method: indicator.rollup.method)
        return try JSONBody.response(
            Rollup(
                indicator: indicator.code, unit: unit, period: period.id, method: indicator.rollup.method,
                value: totals?.value(indicator.rollup.method), count: totals?.count ?? 0,
                target: indicator.target(for: period.year), illustrative: indicator.illustrative,
                figure: figure?.value, source: figure?.source)
        ).keptAtEdge(dependingOn: [.indicator(indicator.code)])
    }

    private func totals(_ code: String, unit: String, period: Period?) async throws -> RollupTotals? {
        guard let period else { return nil }
        return try await values.rollup(indicator: code, unit: unit, period: period.id)
    }

    /// The unit's own approved value, if any.
    private func own(_ code: String, unit: String, period: Period?) async throws -> Double? {
        guard let period else { return nil }
        return try await values.list(ValueQuery(indicators: [code], units: [unit], periods: [period.id], limit: 1))
            .first?.value
    }

    /// How a unit reported in a year: on time, late, missing, not yet due; in all and per indicator.
    @Sendable func timeliness(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound("no unit has code \"\(code)\"")
        }
        let today = clock.today()
        let year = try UnitsController.integer(
            request.uri.queryParameters, "year", default: today.year, in: Period.years)
        return try JSONBody.response(try await reporting.report(of: unit, year: year, today: today))
    }

    /// A unit's series of public figures, with the figures of the units it took over re-based onto it.
    struct Series: Encodable {
        let indicator: String
        let unit: String
        let method: RollupMethod
        let predecessors: [String]
        let points: [SeriesPoint]
        let illustrative: Bool
    }

    @Sendable func series(_ request: Request, context: PublicContext) async throws -> Response {
        let indicator = try await require(try context.parameters.require("code"))
        guard let unit = request.uri.queryParameters["unit"].map(String.init) else {
            throw AppError.badRequest(field: "unit", "is required")
        }
        guard try await units.get(code: unit) != nil else { throw AppError.notFound("no unit has code \"\(unit)\"") }
        let predecessors = try await units.predecessors(of: unit).map(\.predecessorCode)
        let points = try await figures.series(indicator, of: unit, predecessors: predecessors)
        return try JSONBody.response(
            Series(
                indicator: indicator.code, unit: unit, method: indicator.rollup.method, predecessors: predecessors,
                points: points, illustrative: indicator.illustrative))
    }
}
