import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore
import NIOCore

/// `/api/v1/programmes`, `/api/v1/tasks`, `/api/v1/reports`, `/api/v1/extensions`,
/// `/api/v1/recommendations`, `/api/v1/escalation`, `/api/v1/deliveryMeasures`.
///
/// Reads are public; what a task shows of its reports, extensions, history and the officials
/// behind them is `TaskDisclosure`'s, as on the task page. Writes go through `TaskService`.
struct TasksController {
    let service: TaskService
    var tasks: any TaskRepository { service.tasks }
    var clock: AppClock { service.clock }
    var access: AccessGuard { service.access }

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/programmes", use: programmes)
        routes.authenticated(.post, "/api/v1/programmes", use: createProgramme)
        routes.on(.get, "/api/v1/programmes/{code}", use: programme)
        routes.authenticated(.put, "/api/v1/programmes/{code}", use: updateProgramme)
        routes.authenticated(.post, "/api/v1/programmes/{code}/archive", use: archiveProgramme)
        routes.authenticated(.post, "/api/v1/programmes/{code}/restore", use: restoreProgramme)
        routes.on(.get, "/api/v1/tasks", use: list)
        routes.authenticated(.post, "/api/v1/tasks", use: create)
        routes.authenticated(.post, "/api/v1/workPlans", use: importWorkPlan)
        routes.on(.get, "/api/v1/tasks/{code}", use: get)
        routes.authenticated(.post, "/api/v1/tasks/{code}/sign-off", use: signOff)
        routes.authenticated(.post, "/api/v1/tasks/{code}/adopt", use: adopt)
        routes.authenticated(.post, "/api/v1/tasks/{code}/cancel", use: cancel)
        routes.authenticated(.post, "/api/v1/tasks/{code}/reports", use: recordProgress)
        routes.authenticated(.post, "/api/v1/tasks/{code}/extensions", use: requestExtension)
        routes.authenticated(.post, "/api/v1/reports/{id}/files", use: attach)
        routes.on(.get, "/api/v1/reports/{id}/files/{sha256}", use: download)
        routes.authenticated(.patch, "/api/v1/reports/{id}", use: editReport)
        routes.authenticated(.delete, "/api/v1/reports/{id}", use: withdrawReport)
        routes.authenticated(.post, "/api/v1/reports/{id}/submit", use: submit)
        routes.authenticated(.post, "/api/v1/reports/{id}/accept", use: accept)
        routes.authenticated(.post, "/api/v1/reports/{id}/return", use: giveBack)
        routes.authenticated(.post, "/api/v1/extensions/{id}/grant", use: grant)
        routes.authenticated(.post, "/api/v1/extensions/{id}/refuse", use: refuse)
        routes.on(.get, "/api/v1/recommendations", use: recommendations)
        routes.authenticated(.post, "/api/v1/recommendations", use: raise)
        routes.authenticated(.post, "/api/v1/recommendations/{id}/sign-off", use: signOffRecommendation)
        routes.authenticated(.post, "/api/v1/recommendations/{id}/answer", use: answer)
        routes.on(.get, "/api/v1/escalation", use: escalation)
        routes.on(.get, "/api/v1/deliveryMeasures", use: deliveryMeasures)
    }

    // MARK: Reads

    @Sendable func programmes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(["programmes": try await tasks.programmes()], cache: "no-cache")
    }

    @Sendable func programme(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(try await service.programme(try context.parameters.require("code")), cache: "no-cache")
    }

    @Sendable func createProgramme(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await service.requireMayDefineProgrammes(context.caller, target: "programme")
        let draft = try await JSONBody.decode(ProgrammeDraft.self, from: request, context: context)
        return try JSONBody.response(try await service.createProgramme(draft, context.caller), status: .created)
    }

    @Sendable func updateProgramme(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let code = try context.parameters.require("code")
        try await service.requireMayDefineProgrammes(context.caller, target: "programme:\(code)")
        let draft = try await JSONBody.decode(ProgrammeDraft.self, from: request, context: context)
        return try JSONBody.response(try await service.updateProgramme(code, draft, context.caller))
    }

    @Sendable func archiveProgramme(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(
            try await service.archiveProgramme(try context.parameters.require("code"), archived: true, context.caller))
    }

    @Sendable func restoreProgramme(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(
            try await service.archiveProgramme(try context.parameters.require("code"), archived: false, context.caller))
    }

    /// Public tasks, and the proposals awaiting sign-off of the units whose internal data the
    /// reader may read (`SignOff`).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = try Self.query(request.uri.queryParameters, today: clock.today())
        query.unsignedUnits = try await service.unsignedUnits(shownTo: context.identity?.principal ?? .anonymous)
        let page = try await tasks.list(query)
        return try JSONBody.response(
            Page(
                items: page.items.map { TaskView($0, today: query.today) }, total: page.total, limit: page.limit,
                offset: page.offset), cache: context.identity == nil ? "no-cache" : "no-store")
    }

    static func query(_ parameters: Parameters, today: CivilDate) throws -> TaskQuery {
        func text(_ name: String) -> String? {
            parameters[Substring(name)].map { String($0).trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var status: TaskStatus?
        if let value = text("status") {
            guard let parsed = TaskStatus(rawValue: value) else {
                throw AppError.badRequest(
                    field: "status", "expected one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        var orientation: Int?
        if let value = text("orientation") {
            guard let number = Int(value), (1...99).contains(number) else {
                throw AppError.badRequest(field: "orientation", "expected a whole number from 1 to 99")
            }
            orientation = number
        }
        return TaskQuery(
            programme: text("programme"), orientation: orientation, unit: text("unit"), status: status,
            search: text("search"), today: today,
            limit: try UnitsController.integer(parameters, "limit", default: 100, in: 1...1000),
            offset: try UnitsController.integer(parameters, "offset", default: 0, in: 0...Int(Int32.max)))
    }

    /// A task with its reports, extensions and, for internal readers, its history.
    struct TaskDetail: Encodable {
        let task: TaskView
        let reports: [TaskReport]
        let extensions: [DeadlineExtension]
        let history: [TaskEvent]?
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let detail = try await detail(code, context: context)
        return try JSONBody.response(detail, cache: context.identity == nil ? "no-cache" : "no-store")
    }

    /// The task as `context`'s reader is shown it (`TaskDisclosure`).
    func detail(_ code: String, context: AppRequestContext) async throws -> TaskDetail {
        let reader = context.identity?.principal ?? .anonymous
        let record = try await service.task(code, shownTo: reader)
        let shown = try await service.disclosure(record.task, reader: reader)
        return TaskDetail(
            task: TaskView(record, today: clock.today()),
            reports: try await tasks.reports(of: code).compactMap(shown.report),
            extensions: try await tasks.extensions(of: code).map(shown.request),
            history: shown.showsHistory ? shown.history(try await tasks.history(of: code)) : nil)
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let sha256 = try context.parameters.require("sha256")
        guard let report = try await tasks.report(id), report.files.contains(where: { $0.sha256 == sha256 }),
            let stored = try await tasks.file(sha256)
        else { throw AppError.notFound("report \(id) has no file \(sha256)") }
        if report.state != .accepted {
            let context = try AuthenticatedContext(context: context)
            try await access.require(
                .readInternal, on: report.unit, principal: context.identity.principal, userId: context.user.id,
                requestId: context.id, logger: context.logger)
        }
        let name = report.files.first(where: { $0.sha256 == sha256 })?.name ?? sha256
        var headers = HTTPFields()
        // As its content shows (a file stored before types were checked may be none of the kinds
        // a report takes: it is served as bytes), always as an attachment, sandboxed.
        headers[.contentType] = EvidenceType.of([UInt8](stored.content), name: name) ?? "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename*=UTF-8''\(name.formEncoded)"
        headers[.cacheControl] = report.state == .accepted ? "public, max-age=31536000, immutable" : "private, no-store"
        headers[.eTag] = "\"\(sha256)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.content)))
    }

    @Sendable func recommendations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let unit = parameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let unanswered = try UnitsController.boolean(parameters, "unanswered") ?? false
        let limit = try UnitsController.integer(parameters, "limit", default: 200, in: 1...1000)
        let offset = try UnitsController.integer(parameters, "offset", default: 0, in: 0...Int(Int32.max))
        let today = clock.today()
        let page = try await tasks.recommendations(
            unit: unit, unansweredOnly: unanswered,
            unsignedUnits: try await service.unsignedUnits(shownTo: context.identity?.principal ?? .anonymous),
            limit: limit, offset: offset)
        return try JSONBody.response(
            RecommendationList(
                recommendations: page.items.map { RecommendationView($0, today: today) }, total: page.total,
                limit: page.limit, offset: page.offset),
            cache: context.identity == nil ? "no-cache" : "no-store")
    }

    /// The body of `GET /api/v1/recommendations`.
    struct RecommendationList: Encodable {
        let recommendations: [RecommendationView]
        let total: Int
        let limit: Int
        let offset: Int
    }

    @Sendable func escalation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = try UnitsController.integer(request.uri.queryParameters, "limit", default: 200, in: 1...5000)
        let body = try await service.views.escalationJSON(today: clock.today(), limit: limit)
        return JSONBody.response(encoded: body, cache: "no-cache")
    }

    @Sendable func deliveryMeasures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unit = request.uri.queryParameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let today = clock.today()
        let view = try await service.views.deliveryMeasures(today: today)
        guard let unit else { return JSONBody.response(encoded: view.json, cache: "no-cache") }
        return try JSONBody.response(
            DeliveryMeasuresBody(
                today: today, measures: view.measures.filter { $0.unit == unit }, names: DeliveryMeasures.names),
            cache: "no-cache")
    }
}
