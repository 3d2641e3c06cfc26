import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore
import NIOCore

/// The writes of `/api/v1/…`'s task module, each through `TaskService`.
extension TasksController {
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

    /// A work plan from a CSV file (`text/csv`): tasks created, or revised by code; `?dryRun=true`
    /// says what the import would do and writes nothing; `?programme=` names the programme of
    /// rows without one. All or nothing: every bad row is answered with its line and column (422).
    @Sendable func importWorkPlan(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let dryRun = try UnitsController.boolean(parameters, "dryRun") ?? false
        let programme = parameters["programme"].map(String.init)
        try await service.requireMayImportWorkPlan(context.caller)
        guard request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the work plan as text/csv")
        }
        let (_, summary) = try await service.importWorkPlan(
            read: {
                TaskService.WorkPlanFile(
                    bytes: Array(buffer: try await request.body.collect(upTo: TaskService.maximumWorkPlanSize)),
                    programme: programme, dryRun: dryRun)
            }, context.caller)
        return try JSONBody.response(summary)
    }

    @Sendable func signOff(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let signed = try await service.signOff(try context.parameters.require("code"), context.caller)
        return try JSONBody.response(TaskView(signed, today: clock.today()))
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

    /// Attaches the request body as a file: `?name=` labels it, its content types it
    /// (`EvidenceType`; the `Content-Type` sent is not believed).
    @Sendable func attach(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try context.parameters.require("id")
        // Checked before reading a body of up to 20 MB.
        try await service.mayAttach(to: id, context.caller)
        let name = request.uri.queryParameters["name"].map(String.init) ?? ""
        let content = try await Self.collectFile(request)
        let updated = try await service.attach(content, name: name, to: id, context.caller)
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

    @Sendable func editReport(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let edit = try await JSONBody.decode(ReportEdit.self, from: request, context: context)
        return try JSONBody.response(
            try await service.editReport(try context.parameters.require("id"), edit, context.caller))
    }

    @Sendable func withdrawReport(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await service.withdrawReport(try context.parameters.require("id"), context.caller)
        return Response(status: .noContent)
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

    @Sendable func signOffRecommendation(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let signed = try await service.signOff(recommendation: try context.parameters.require("id"), context.caller)
        return try JSONBody.response(RecommendationView(signed, today: clock.today()))
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
