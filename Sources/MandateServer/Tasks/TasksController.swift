import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore
import NIOCore

/// `/api/v1/programmes`, `/api/v1/tasks`, `/api/v1/reports`, `/api/v1/extensions`,
/// `/api/v1/recommendations`, `/api/v1/escalation`, `/api/v1/deliveryMeasures`.
///
/// Reads are public, without people: drafts, submitted and returned reports and a task's
/// history are shown only to those who may read the unit's internal data.
struct TasksController {
    let service: TaskService
    var tasks: any TaskRepository { service.tasks }
    var clock: AppClock { service.clock }
    var access: AccessGuard { service.access }

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/programmes", use: programmes)
        routes.on(.get, "/api/v1/tasks", use: list)
        routes.authenticated(.post, "/api/v1/tasks", use: create)
        routes.on(.get, "/api/v1/tasks/{code}", use: get)
        routes.authenticated(.post, "/api/v1/tasks/{code}/adopt", use: adopt)
        routes.authenticated(.post, "/api/v1/tasks/{code}/cancel", use: cancel)
        routes.authenticated(.post, "/api/v1/tasks/{code}/reports", use: recordProgress)
        routes.authenticated(.post, "/api/v1/tasks/{code}/extensions", use: requestExtension)
        routes.authenticated(.post, "/api/v1/reports/{id}/files", use: attach)
        routes.on(.get, "/api/v1/reports/{id}/files/{sha256}", use: download)
        routes.authenticated(.post, "/api/v1/reports/{id}/submit", use: submit)
        routes.authenticated(.post, "/api/v1/reports/{id}/accept", use: accept)
        routes.authenticated(.post, "/api/v1/reports/{id}/return", use: giveBack)
        routes.authenticated(.post, "/api/v1/extensions/{id}/grant", use: grant)
        routes.authenticated(.post, "/api/v1/extensions/{id}/refuse", use: refuse)
        routes.on(.get, "/api/v1/recommendations", use: recommendations)
        routes.authenticated(.post, "/api/v1/recommendations", use: raise)
        routes.authenticated(.post, "/api/v1/recommendations/{id}/answer", use: answer)
        routes.on(.get, "/api/v1/escalation", use: escalation)
        routes.on(.get, "/api/v1/deliveryMeasures", use: deliveryMeasures)
    }

    // MARK: Reads

    @Sendable func programmes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(["programmes": try await tasks.programmes()], cache: "no-cache")
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try Self.query(request.uri.queryParameters, today: clock.today())
        let page = try await tasks.list(query)
        return try JSONBody.response(
            Page(
                items: page.items.map { TaskView($0, today: query.today) }, total: page.total, limit: page.limit,
                offset: page.offset), cache: "no-cache")
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

    func detail(_ code: String, context: AppRequestContext) async throws -> TaskDetail {
        guard let record = try await tasks.get(code) else { throw AppError.notFound("no task has code \"\(code)\"") }
        let internalUnits = try await service.readableUnits(record.task, user: context.identity?.user)
        let reports = try await tasks.reports(of: code).compactMap { report -> TaskReport? in
            if internalUnits.contains(report.unit) { return report }
            return report.state == .accepted ? report.anonymous : nil
        }
        let extensions = try await tasks.extensions(of: code).map {
            internalUnits.contains($0.unit) ? $0 : $0.anonymous
        }
        let history = internalUnits.contains(record.task.leadUnit) ? try await tasks.history(of: code) : nil
        return TaskDetail(
            task: TaskView(record, today: clock.today()), reports: reports, extensions: extensions, history: history)
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
                .readInternal, on: report.unit, by: context.user, requestId: context.id, logger: context.logger)
        }
        let name = report.files.first(where: { $0.sha256 == sha256 })?.name ?? sha256
        var headers = HTTPFields()
        headers[.contentType] = stored.file.contentType
        headers[.contentDisposition] = "attachment; filename*=UTF-8''\(name.formEncoded)"
        headers[.cacheControl] = report.state == .accepted ? "public, max-age=31536000, immutable" : "private, no-store"
        headers[.eTag] = "\"\(sha256)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.content)))
    }

    @Sendable func recommendations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let unit = parameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let unanswered = parameters["unanswered"] == "true"
        let limit = try UnitsController.integer(parameters, "limit", default: 200, in: 1...1000)
        let today = clock.today()
        let list = try await tasks.recommendations(unit: unit, unansweredOnly: unanswered, limit: limit).map {
            RecommendationView($0, today: today)
        }
        return try JSONBody.response(["recommendations": list], cache: "no-cache")
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

    // MARK: Tasks

    /// A new task: assigned by the committee, or (with `"origin": "proposed"`) proposed by its lead unit.
    struct NewTask: Decodable {
        var task: TaskDraft
        var origin: TaskOrigin

        enum CodingKeys: String, CodingKey { case origin }

        init(from decoder: any Decoder) throws {
            task = try TaskDraft(from: decoder)
            origin =
                try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(TaskOrigin.self, forKey: .origin)
                ?? .assigned
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(NewTask.self, from: request, context: context)
        let record = try await service.create(body.task, origin: body.origin, context.caller)
        return try JSONBody.response(TaskView(record, today: clock.today()), status: .created)
    }

    @Sendable func adopt(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let adopted = try await service.adopt(try context.parameters.require("code"), context.caller)
        return try JSONBody.response(TaskView(adopted, today: clock.today()))
    }

    struct Reason: Decodable {
        let reason: String
    }

    @Sendable func cancel(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Reason.self, from: request, context: context)
        let cancelled = try await service.cancel(
            try context.parameters.require("code"), reason: body.reason, context.caller)
        return try JSONBody.response(TaskView(cancelled, today: clock.today()))
    }

    // MARK: Reports

    @Sendable func recordProgress(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(ProgressInput.self, from: request, context: context)
        let report = try await service.recordProgress(input, on: try context.parameters.require("code"), context.caller)
        return try JSONBody.response(report, status: .created)
    }

    /// Attaches the request body as a file: `?name=` labels it, `Content-Type` types it.
    @Sendable func attach(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let report = try await service.report(id)
        // Checked before reading a body of up to 20 MB.
        try await access.require(
            .reportProgress, on: report.unit, by: context.user, target: "report:\(id)", requestId: context.id,
            logger: context.logger)
        let name = request.uri.queryParameters["name"].map(String.init) ?? ""
        let content = try await Self.collectFile(request)
        let updated = try await service.attach(
            content, name: name, contentType: request.headers[.contentType] ?? "", to: id, context.caller)
        return try JSONBody.response(updated, status: .created)
    }

    /// The body, up to the evidence file limit; a larger one gets a 413 that says the limit.
    static func collectFile(_ request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: EvidenceFile.maximumSize))
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    static var tooLarge: AppError {
        AppError(
            .contentTooLarge, "file-too-large", "File too large", detail: "a file may be at most 20 MB",
            errors: [RowError(line: nil, column: "file", reason: "a file may be at most 20 MB")])
    }

    @Sendable func submit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(try await service.submit(try context.parameters.require("id"), context.caller))
    }

    struct Comment: Decodable {
        let comment: String?
    }

    @Sendable func accept(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decide(request, context: context, accept: true)
    }

    @Sendable func giveBack(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decide(request, context: context, accept: false)
    }

    func decide(_ request: Request, context: AuthenticatedContext, accept: Bool) async throws -> Response {
        let body = try await Self.optionalBody(Comment.self, request, context) ?? Comment(comment: nil)
        return try JSONBody.response(
            try await service.decide(
                try context.parameters.require("id"), accept: accept, comment: body.comment, context.caller))
    }

    // MARK: Extensions

    @Sendable func requestExtension(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(ExtensionInput.self, from: request, context: context)
        return try JSONBody.response(
            try await service.requestExtension(input, on: try context.parameters.require("code"), context.caller),
            status: .created)
    }

    @Sendable func grant(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decideExtension(request, context: context, grant: true)
    }

    @Sendable func refuse(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decideExtension(request, context: context, grant: false)
    }

    func decideExtension(_ request: Request, context: AuthenticatedContext, grant: Bool) async throws -> Response {
        let body = try await Self.optionalBody(Comment.self, request, context) ?? Comment(comment: nil)
        return try JSONBody.response(
            try await service.decideExtension(
                try context.parameters.require("id"), grant: grant, comment: body.comment, context.caller))
    }

    // MARK: Recommendations

    @Sendable func raise(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(RecommendationInput.self, from: request, context: context)
        let raised = try await service.raise(input, context.caller)
        return try JSONBody.response(RecommendationView(raised, today: clock.today()), status: .created)
    }

    struct Answer: Decodable {
        let answer: String
    }

    @Sendable func answer(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Answer.self, from: request, context: context)
        let answered = try await service.answer(try context.parameters.require("id"), text: body.answer, context.caller)
        return try JSONBody.response(RecommendationView(answered, today: clock.today()))
    }

    // MARK: Helpers

    /// A JSON body that may be left out entirely.
    static func optionalBody<T: Decodable>(
        _ type: T.Type, _ request: Request, _ context: AuthenticatedContext
    ) async throws -> T? {
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if request.headers[.contentType] == nil && (length == nil || length == 0) { return nil }
        return try await JSONBody.decode(type, from: request, context: context)
    }
}

/// A task as the API shows it: with its derived status and deadlines.
struct TaskView: Codable, Sendable {
    var code: String
    var title: String
    var description: String
    var deliverable: String
    var programme: String
    var orientation: Int?
    var leadUnit: String
    var coordinatingUnits: [String]
    var start: CivilDate
    var deadline: CivilDate
    var effectiveDeadline: CivilDate
    var workingDeadline: CivilDate
    var origin: TaskOrigin
    var adoptedAt: String?
    var cancelledAt: String?
    var cancelReason: String?
    var status: TaskStatus
    var percent: Int?
    var daysLate: Int?
    var illustrative: Bool

    init(_ record: TaskRecord, today: CivilDate) {
        let task = record.task
        code = task.code
        title = task.title
        description = task.description
        deliverable = task.deliverable
        programme = task.programme
        orientation = task.orientation
        leadUnit = task.leadUnit
        coordinatingUnits = task.coordinatingUnits
        start = task.start
        deadline = task.deadline
        effectiveDeadline = record.progress.effectiveDeadline
        workingDeadline = record.progress.workingDeadline
        origin = task.origin
        adoptedAt = task.adoptedAt
        cancelledAt = task.cancelledAt
        cancelReason = task.cancelReason
        status = record.status(today: today)
        percent = record.progress.percent
        let late = record.progress.daysLate(today: today)
        daysLate = (status == .overdue || status == .acceptedLate) && late > 0 ? late : nil
        illustrative = task.illustrative
    }
}

/// A recommendation as the API shows it: without who raised or answered it.
struct RecommendationView: Codable, Sendable {
    var id: String
    var fromUnit: String
    var toUnit: String
    var title: String
    var body: String
    var due: CivilDate
    var raisedAt: String
    var answer: String?
    var answeredAt: String?
    var ageDays: Int
    var overdue: Bool
    var illustrative: Bool

    init(_ recommendation: Recommendation, today: CivilDate) {
        id = recommendation.id
        fromUnit = recommendation.fromUnit
        toUnit = recommendation.toUnit
        title = recommendation.title
        body = recommendation.body
        due = recommendation.due
        raisedAt = recommendation.raisedAt
        answer = recommendation.answer
        answeredAt = recommendation.answeredAt
        ageDays = recommendation.age(today: today)
        overdue = recommendation.isOverdue(today: today)
        illustrative = recommendation.illustrative
    }
}

extension TaskReport {
    /// The report without the accounts that wrote, submitted and decided it: for the public.
    var anonymous: TaskReport {
        var report = self
        report.createdBy = nil
        report.submittedBy = nil
        report.decidedBy = nil
        return report
    }
}

extension DeadlineExtension {
    var anonymous: DeadlineExtension {
        var request = self
        request.requestedBy = nil
        request.decidedBy = nil
        return request
    }
}
