import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The form to assign a task (who may assign on the committee's unit) or to propose one for
/// one's own unit (who may propose there).
extension TaskPages {
    /// How `principal` creates tasks: assigns them, proposes them for `user`'s unit, or neither.
    func creates(_ principal: Principal, user: User?) async throws -> TaskOrigin? {
        if try await service.may(principal, .assignTask, on: try await service.committeeUnit()) { return .assigned }
        if let user, try await service.may(principal, .proposeTask, on: user.unitCode) { return .proposed }
        return nil
    }

    @Sendable func newTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await newTaskPage(request, context, entered: [:], problems: [], status: .ok)
    }

    func newTaskPage(
        _ request: Request, _ context: AppRequestContext, entered: [String: String], problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let user = authenticated.user
        guard let origin = try await creates(authenticated.identity.principal, user: user) else {
            throw AppError.forbidden("a \(user.role.rawValue) may not propose tasks")
        }
        let page = PageRequest(request, context, pages)
        let today = service.clock.today()
        let programmes = try await tasks.programmes()
        func typed(_ key: String) -> String? { entered[key].flatMap { $0.isEmpty ? nil : $0 } }
        let model = NewTaskModel(
            assigns: origin == .assigned, ownUnit: user.unitCode,
            ownUnitName: try await units.get(code: user.unitCode)?.name ?? user.unitCode,
            programmes: programmes.map {
                NewTaskModel.Programme(code: $0.code, selected: $0.code == entered["programme"])
            },
            orientations: Self.orientations(programmes, selected: entered["orientation"].flatMap { Int($0) }, page),
            problems: problems, hasProblems: !problems.isEmpty,
            start: entered["start"] ?? today.description,
            deadline: entered["deadline"] ?? today.adding(days: 90).description,
            code: typed("code"), taskTitle: typed("title"), description: typed("description"),
            deliverable: typed("deliverable"), leadUnit: typed("leadUnit"),
            coordinatingUnits: typed("coordinatingUnits"))
        return try page.page(
            .taskNew, title: page.t(origin == .assigned ? "taskNew_assignTitle" : "taskNew_proposeTitle"), model: model,
            scripts: [.live], status: status)
    }

    @Sendable func createTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var entered: [String: String] = [:]
        for key in [
            "code", "title", "description", "deliverable", "programme", "orientation", "leadUnit", "coordinatingUnits",
            "start", "deadline",
        ] {
            entered[key] = (fields[key] ?? "").trimmingWhitespace()
        }
        // Whoever may not assign proposes, for their own unit, whatever the form says; a proposal
        // the reader may not make is refused by the write.
        let origin = try await creates(authenticated.identity.principal, user: authenticated.user) ?? .proposed
        let lead = origin == .assigned ? entered["leadUnit"] ?? "" : authenticated.user.unitCode
        let coordinating = (entered["coordinatingUnits"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " })
            .map(String.init)
        let draft = TaskDraft(
            code: entered["code"] ?? "", title: entered["title"] ?? "", description: entered["description"],
            deliverable: entered["deliverable"] ?? "", programme: entered["programme"] ?? "",
            orientation: Int(entered["orientation"] ?? ""), leadUnit: lead, coordinatingUnits: coordinating,
            start: entered["start"] ?? "", deadline: entered["deadline"] ?? "")
        do {
            let record = try await service.create(draft, origin: origin, authenticated.caller)
            let done = record.task.isSignedOff ? origin.rawValue : "proposedAwaiting"
            return Response(status: .seeOther, headers: [.location: "/tasks/\(record.task.code)?done=\(done)"])
        } catch let failure as ValidationFailure {
            return try await newTaskPage(
                request, context, entered: entered,
                problems: failure.errors.map { $0.description(in: context.language) },
                status: .unprocessableContent)
        } catch let conflict as StateConflict {
            return try await newTaskPage(
                request, context, entered: entered, problems: [conflict.reason], status: .conflict)
        }
    }
}
