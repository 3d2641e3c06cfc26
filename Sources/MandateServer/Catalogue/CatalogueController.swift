import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/catalogue`: the database catalogue, read by anyone, written by units' reporters,
/// approved by their heads, audited by committee roles.
struct CatalogueController {
    let service: CatalogueService

    func register(on routes: inout APIRoutes) {
        routes.publicRead("/api/v1/catalogue", use: list)
        routes.on(.get, "/api/v1/catalogue/{code}", use: get)
        routes.publicRead("/api/v1/catalogue/{code}/history", use: history)
        routes.authenticated(.post, "/api/v1/catalogue", use: create)
        routes.authenticated(.put, "/api/v1/catalogue/{code}", use: update)
        routes.authenticated(.post, "/api/v1/catalogue/{code}/approve", use: approve)
        routes.authenticated(.post, "/api/v1/catalogue/{code}/audits", use: audit)
        routes.authenticated(.post, "/api/v1/catalogue/{code}/samples", use: sample)
        routes.authenticated(.put, "/api/v1/catalogue/{code}/expected", use: expect)
        routes.authenticated(.post, "/api/v1/catalogueImports", use: importEntries)
        routes.publicRead("/api/v1/catalogueExpectations", use: expectations)
        routes.authenticated(.put, "/api/v1/catalogueExpectations", use: setExpectations)
        routes.publicRead("/api/v1/units/{code}/catalogueCompletion", use: completion)
    }

    @Sendable func expectations(_ request: Request, context: PublicContext) async throws -> Response {
        try JSONBody.response(try await service.completions.expectations(), cache: "no-cache")
    }

    @Sendable func setExpectations(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(CatalogueExpectations.self, from: request, context: context)
        return try JSONBody.response(try await service.setExpectations(body, context.caller))
    }

    struct CompletionView: Encodable {
        struct Figures: Encodable {
            let expected: Int
            let declared: Int
            let complete: Int
            let completeByDeadline: Int
            let living: Int
            let completionRate: Double?
            let deadlineRate: Double?
            let livingRate: Double?

            init(_ completion: CatalogueCompletion) {
                expected = completion.expected
                declared = completion.declared
                complete = completion.complete
                completeByDeadline = completion.byDeadline
                living = completion.living
                completionRate = completion.completionRate
                deadlineRate = completion.deadlineRate
                livingRate = completion.livingRate
            }
        }

        let unit: String
        let deadline: CivilDate
        let own: Figures
        let withUnitsBelow: Figures
    }

    /// A unit's catalogue against what is expected of it: its own, and with the units below it.
    @Sendable func completion(_ request: Request, context: PublicContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard try await service.units.get(code: code) != nil else {
            throw AppError.notFound(field: "code", "no unit has code \"\(code)\"")
        }
        let figures = try await service.completion(of: code)
        return try JSONBody.response(
            CompletionView(
                unit: code, deadline: figures.expectations.deadline, own: .init(figures.own),
                withUnitsBelow: .init(figures.subtree)),
            cache: "no-cache")
    }

    static func query(_ request: Request) throws -> (CatalogueQuery, QualityFilter?) {
        let parameters = request.uri.queryParameters
        func choice<Choice: RawRepresentable>(_ name: String, _ type: Choice.Type) throws -> Choice?
        where Choice.RawValue == String {
            guard let text = parameters[Substring(name)].map(String.init) else { return nil }
            guard let choice = Choice(rawValue: text) else {
                throw AppError.badRequest(field: name, "unknown \(name) \"\(text)\"")
            }
            return choice
        }
        let limit = try UnitsController.integer(parameters, "limit", default: 50, in: 1...500)
        let offset = try UnitsController.integer(parameters, "offset", default: 0, in: 0...1_000_000)
        let text = parameters.formValue("q") ?? ""
        if text.count > 200 { throw AppError.badRequest(field: "q", "a search of at most 200 characters") }
        let unit = parameters[Substring("unit")].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let query = CatalogueQuery(
            unit: unit, level: try choice("level", DatabaseLevel.self), theme: try choice("theme", DataTheme.self),
            access: try choice("access", DataAccess.self), text: text, limit: limit, offset: offset)
        var filter: QualityFilter?
        if let text = parameters[Substring("quality")].map(String.init) {
            guard let parsed = QualityFilter(text) else {
                throw AppError.badRequest(
                    field: "quality", "a quality and its state, e.g. living:not-met (or class:A)")
            }
            filter = parsed
        }
        return (query, filter)
    }

    @Sendable func list(_ request: Request, context: PublicContext) async throws -> Response {
        let (query, filter) = try Self.query(request)
        let page = try await service.list(query, filter: filter)
        let view = CataloguePageView(
            items: page.items.map { CatalogueView($0.record, assessed: $0.assessed, showDraft: false) },
            total: page.total, totalIsLowerBound: page.totalIsLowerBound, limit: query.limit, offset: query.offset)
        return try JSONBody.response(view, cache: "no-cache").depending(on: [.catalogue])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let record = try await service.existing(code)
        let principal = context.identity?.principal ?? .anonymous
        let showDraft = try await service.readsDrafts(principal, of: record.owner)
        guard record.published != nil || showDraft else { throw AppError.notFound("no database has code \"\(code)\"") }
        return try JSONBody.response(
            CatalogueView(record, assessed: service.assessed(record), showDraft: showDraft),
            cache: showDraft ? "private, no-store" : "no-cache")
    }

    @Sendable func history(_ request: Request, context: PublicContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let versions = try await service.catalogue.history(code: code)
        guard !versions.isEmpty else { throw AppError.notFound("no database has code \"\(code)\"") }
        return try JSONBody.response(versions, cache: "no-cache").depending(on: [.catalogue])
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let draft = try await JSONBody.decode(CatalogueDraft.self, from: request, context: context)
        let record = try await service.save(draft, code: nil, context.caller)
        return try JSONBody.response(
            CatalogueView(record, assessed: service.assessed(record), showDraft: true), status: .created)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let draft = try await JSONBody.decode(CatalogueDraft.self, from: request, context: context)
        let record = try await service.save(draft, code: try context.parameters.require("code"), context.caller)
        return try JSONBody.response(CatalogueView(record, assessed: service.assessed(record), showDraft: true))
    }

    @Sendable func approve(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let record = try await service.approve(code: try context.parameters.require("code"), context.caller)
        return try JSONBody.response(CatalogueView(record, assessed: service.assessed(record), showDraft: true))
    }

    @Sendable func audit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let draft = try await JSONBody.decode(AuditDraft.self, from: request, context: context)
        let record = try await service.recordAudit(draft, code: try context.parameters.require("code"), context.caller)
        return try JSONBody.response(
            CatalogueView(record, assessed: service.assessed(record), showDraft: false), status: .created)
    }

    /// A sample of one distribution's data (`?distribution=0`, the first), as the file is.
    @Sendable func sample(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let index = try UnitsController.integer(
            request.uri.queryParameters, "distribution", default: 0, in: 0...(CatalogueDraft.maximumDistributions - 1))
        let record = try await service.imports.run {
            try await service.checkSample(
                code: try context.parameters.require("code"), distribution: index,
                read: { Array(buffer: try await request.body.collect(upTo: CatalogueService.maximumImportSize)) },
                context.caller)
        }
        return try JSONBody.response(
            CatalogueView(record, assessed: service.assessed(record), showDraft: false), status: .created)
    }

    struct Expected: Decodable {
        let records: Int?
    }

    @Sendable func expect(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Expected.self, from: request, context: context)
        let record = try await service.expect(
            body.records, code: try context.parameters.require("code"), context.caller)
        return try JSONBody.response(CatalogueView(record, assessed: service.assessed(record), showDraft: false))
    }

    struct ImportSummary: Encodable {
        let dryRun: Bool
        let entries: Int
        let codes: [String]
    }

    /// A CSV file (`text/csv`) or a JSON array of entries, kept as drafts all or nothing;
    /// `?dryRun=true` checks without keeping.
    @Sendable func importEntries(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dryRun = try UnitsController.boolean(request.uri.queryParameters, "dryRun") ?? false
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let entries: [CatalogueEntry]
        if type.hasPrefix("text/csv") {
            entries = try await service.imports.run {
                let bytes = Array(buffer: try await request.body.collect(upTo: CatalogueService.maximumImportSize))
                return try await service.importEntries(
                    csv: try CSVReader.text(bytes), json: nil, dryRun: dryRun, context.caller)
            }
        } else if type.hasPrefix("application/json") {
            let drafts = try await JSONBody.decode([CatalogueDraft].self, from: request, context: context)
            entries = try await service.imports.run {
                try await service.importEntries(csv: nil, json: drafts, dryRun: dryRun, context.caller)
            }
        } else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the catalogue as text/csv or application/json")
        }
        return try JSONBody.response(ImportSummary(dryRun: dryRun, entries: entries.count, codes: entries.map(\.code)))
    }
}

/// A listing's filter on what is computed of each database: one quality in one state
/// (`living:not-met`), or a class (`class:A`).
struct QualityFilter: Sendable, Hashable {
    enum Test: Sendable, Hashable {
        case quality(String, QualityFinding.State)
        case databaseClass(DatabaseClass)
    }

    let test: Test

    init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[0] == "class", let value = DatabaseClass(rawValue: parts[1]) {
            test = .databaseClass(value)
        } else if ["living", "sufficient", "clean", "correct"].contains(parts[0]),
            let state = QualityFinding.State(rawValue: parts[1])
        {
            test = .quality(parts[0], state)
        } else {
            return nil
        }
    }

    func admits(_ assessed: AssessedDatabase) -> Bool {
        switch test {
        case .databaseClass(let value): assessed.databaseClass == value
        case .quality(let name, let state): assessed.qualities.all.first { $0.name == name }?.finding.state == state
        }
    }
}
