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
    let tasks: any TaskRepository
    let units: any UnitRepository
    let access: AccessGuard
    let clock: AppClock

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
        let internalUnits = try await readableUnits(record.task, user: context.identity?.user)
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

    /// The reporting units of `task` whose internal data `user` may read.
    func readableUnits(_ task: ProgrammeTask, user: User?) async throws -> Set<String> {
        guard let user else { return [] }
        var readable: Set<String> = []
        for unit in task.reportingUnits {
            guard let path = try await units.path(of: unit) else { continue }
            if Authorizer.decide(role: user.role, userUnit: user.unitCode, target: path, action: .readInternal)
                .isAllowed
            {
                readable.insert(unit)
            }
        }
        return readable
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
        return try JSONBody.response(try await tasks.escalation(today: clock.today(), limit: limit), cache: "no-cache")
    }

    @Sendable func deliveryMeasures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unit = request.uri.queryParameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let today = clock.today()
        let measures = DeliveryMeasures.compute(try await tasks.deliveryFacts(), today: today)
        let list = measures.values.filter { unit == nil || $0.unit == unit }.sorted { $0.unit < $1.unit }
        return try JSONBody.response(
            DeliveryMeasuresBody(today: today, measures: list, names: DeliveryMeasures.names), cache: "no-cache")
    }

    struct DeliveryMeasuresBody: Encodable {
        let today: CivilDate
        let measures: [DeliveryMeasures]
        let names: [String]
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
        let action: Action = body.origin == .proposed ? .proposeTask : .assignTask
        let unit = body.origin == .proposed ? body.task.leadUnit : try await committeeUnit()
        try await access.require(
            action, on: unit, by: context.user, target: "task:\(body.task.code)", requestId: context.id,
            logger: context.logger)
        let known = try await units.kinds()
        let orientations = Dictionary(
            uniqueKeysWithValues: try await tasks.programmes().map { ($0.code, Set($0.orientations.map(\.number))) })
        let task = try body.task.task(
            origin: body.origin, at: clock.now(), isKnownUnit: { known[$0] != nil }, orientations: orientations)
        let record = try await tasks.create(task, by: actor(context))
        return try JSONBody.response(TaskView(record, today: clock.today()), status: .created)
    }

    /// The committee's own unit: the root of the tree, which committee decisions are recorded against.
    func committeeUnit() async throws -> String {
        try await units.list(UnitQuery(kind: .committee, limit: 1)).items.first?.code ?? "BCD"
    }

    @Sendable func adopt(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let record = try await requireTask(context)
        try await access.require(
            .adoptProposal, on: record.task.leadUnit, by: context.user, target: "task:\(record.task.code)",
            requestId: context.id, logger: context.logger)
        let adopted = try await tasks.adopt(record.task.code, by: actor(context))
        return try JSONBody.response(TaskView(adopted, today: clock.today()))
    }

    struct Reason: Decodable {
        let reason: String
    }

    @Sendable func cancel(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Reason.self, from: request, context: context)
        let record = try await requireTask(context)
        try await access.require(
            .assignTask, on: record.task.leadUnit, by: context.user, target: "task:\(record.task.code)",
            requestId: context.id, logger: context.logger)
        let cancelled = try await tasks.cancel(record.task.code, reason: body.reason, by: actor(context))
        return try JSONBody.response(TaskView(cancelled, today: clock.today()))
    }

    // MARK: Reports

    @Sendable func recordProgress(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(ProgressInput.self, from: request, context: context)
        let record = try await requireTask(context)
        let report = try await recordProgress(input, on: record, context: context)
        return try JSONBody.response(report, status: .created)
    }

    func recordProgress(
        _ input: ProgressInput, on record: TaskRecord, context: AuthenticatedContext
    ) async throws -> TaskReport {
        try await access.require(
            .reportProgress, on: input.unit, by: context.user, target: "task:\(record.task.code)",
            requestId: context.id, logger: context.logger)
        if !record.task.reportingUnits.contains(input.unit) {
            try await access.refuse(
                .reportProgress, on: input.unit, by: context.user, target: "task:\(record.task.code)",
                reason: "\(input.unit) neither leads nor coordinates task \(record.task.code)", requestId: context.id,
                logger: context.logger)
        }
        return try await tasks.recordProgress(input, on: record.task.code, by: actor(context), illustrative: false)
    }

    /// Attaches the request body as a file: `?name=` labels it, `Content-Type` types it.
    @Sendable func attach(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let report = try await requireReport(context)
        try await access.require(
            .reportProgress, on: report.unit, by: context.user, target: "report:\(report.id)", requestId: context.id,
            logger: context.logger)
        let name = request.uri.queryParameters["name"].map(String.init) ?? ""
        let content = try await Self.collectFile(request)
        let updated = try await tasks.attach(
            content, name: name, contentType: request.headers[.contentType] ?? "", to: report.id, by: actor(context))
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
        let report = try await requireReport(context)
        try await access.require(
            .submitReport, on: report.unit, by: context.user, target: "report:\(report.id)", requestId: context.id,
            logger: context.logger)
        return try JSONBody.response(try await tasks.submit(report.id, by: actor(context)))
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
        let report = try await requireReport(context)
        try await access.require(
            .reviewReport, on: report.unit, by: context.user, target: "report:\(report.id)", requestId: context.id,
            logger: context.logger)
        return try JSONBody.response(
            try await tasks.decide(report.id, accept: accept, comment: body.comment, by: actor(context)))
    }

    // MARK: Extensions

    @Sendable func requestExtension(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(ExtensionInput.self, from: request, context: context)
        let record = try await requireTask(context)
        try await access.require(
            .requestExtension, on: record.task.leadUnit, by: context.user, target: "task:\(record.task.code)",
            requestId: context.id, logger: context.logger)
        return try JSONBody.response(
            try await tasks.requestExtension(input, on: record.task.code, by: actor(context)), status: .created)
    }

    @Sendable func grant(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decideExtension(request, context: context, grant: true)
    }

    @Sendable func refuse(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await decideExtension(request, context: context, grant: false)
    }

    func decideExtension(_ request: Request, context: AuthenticatedContext, grant: Bool) async throws -> Response {
        let body = try await Self.optionalBody(Comment.self, request, context) ?? Comment(comment: nil)
        let id = try context.parameters.require("id")
        guard let unit = try await extensionUnit(id) else {
            throw AppError.notFound("no extension request has id \(id)")
        }
        try await access.require(
            .decideExtension, on: unit, by: context.user, target: "extension:\(id)", requestId: context.id,
            logger: context.logger)
        return try JSONBody.response(
            try await tasks.decideExtension(id, grant: grant, comment: body.comment, by: actor(context)))
    }

    func extensionUnit(_ id: String) async throws -> String? {
        try await tasks.extensionRequest(id)?.unit
    }

    // MARK: Recommendations

    @Sendable func raise(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await JSONBody.decode(RecommendationInput.self, from: request, context: context)
        try await access.require(
            .raiseRecommendation, on: input.fromUnit, by: context.user, target: "recommendation",
            requestId: context.id, logger: context.logger)
        let raised = try await tasks.raise(input, by: actor(context), illustrative: false)
        return try JSONBody.response(RecommendationView(raised, today: clock.today()), status: .created)
    }

    struct Answer: Decodable {
        let answer: String
    }

    @Sendable func answer(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Answer.self, from: request, context: context)
        let id = try context.parameters.require("id")
        guard let recommendation = try await tasks.recommendation(id) else {
            throw AppError.notFound("no recommendation has id \(id)")
        }
        try await access.require(
            .answerRecommendation, on: recommendation.toUnit, by: context.user, target: "recommendation:\(id)",
            requestId: context.id, logger: context.logger)
        let answered = try await tasks.answer(id, text: body.answer, by: actor(context))
        return try JSONBody.response(RecommendationView(answered, today: clock.today()))
    }

    // MARK: Helpers

    func actor(_ context: AuthenticatedContext) -> Actor {
        Actor(userId: context.user.id, at: clock.now())
    }

    func requireTask(_ context: AuthenticatedContext) async throws -> TaskRecord {
        let code = try context.parameters.require("code")
        guard let record = try await tasks.get(code) else { throw AppError.notFound("no task has code \"\(code)\"") }
        return record
    }

    func requireReport(_ context: AuthenticatedContext) async throws -> TaskReport {
        let id = try context.parameters.require("id")
        guard let report = try await tasks.report(id) else { throw AppError.notFound("no report has id \(id)") }
        return report
    }

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
