import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The committee's work-plan page: a CSV file of tasks checked (a dry run, ticked by default) or
/// imported through `TaskService.importWorkPlan`, the API's path.
extension TaskPages {
    @Sendable func workPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        try await service.requireMayImportWorkPlan(authenticated.caller)
        return try await workPlanPage(request, context, dryRun: true, outcome: nil, programme: nil, status: .ok)
    }

    @Sendable func importWorkPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        guard let boundary = MultipartForm.boundary(of: request.headers[.contentType]) else {
            throw AppError.badRequest(field: "file", "send the file as multipart/form-data")
        }
        var form: MultipartForm?
        let outcome: Result<TaskImporter.Summary, ValidationFailure>
        do {
            let (file, summary) = try await service.importWorkPlan(
                read: {
                    let body = try await request.collectBody(upTo: AuthenticationMiddleware.maximumUpload)
                    form = MultipartForm(body: body, boundary: boundary)
                    guard let file = form?.files.first(where: { $0.name == "file" }), !file.content.isEmpty else {
                        throw ValidationFailure([
                            RowError(line: nil, column: "file", en: "choose a CSV file", vi: "hãy chọn một tệp CSV")
                        ])
                    }
                    return TaskService.WorkPlanFile(
                        bytes: [UInt8](file.content), programme: form?["programme"], dryRun: form?["dryRun"] == "yes")
                }, authenticated.caller)
            if !file.dryRun {
                let counts = "created=\(summary.created)&updated=\(summary.updated)&cancelled=\(summary.cancelled)"
                return Response(status: .seeOther, headers: [.location: "/tasks/import?\(counts)"])
            }
            outcome = .success(summary)
        } catch let failure as ValidationFailure {
            outcome = .failure(failure)
        }
        return try await workPlanPage(
            request, context, dryRun: form?["dryRun"] == "yes" || form == nil, outcome: outcome,
            programme: form?["programme"],
            status: { if case .failure = outcome { .unprocessableContent } else { .ok } }())
    }

    func workPlanPage(
        _ request: Request, _ context: AppRequestContext, dryRun: Bool,
        outcome: Result<TaskImporter.Summary, ValidationFailure>?, programme: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let programmes = try await tasks.programmes()
        let chosen = programme ?? programmes.first?.code
        var problems: [String] = []
        var summary: String?
        var rows: [WorkPlanModel.Row] = []
        var changed = 0
        switch outcome {
        case .failure(let failure):
            problems = failure.errors.prefix(WorkPlanModel.shown).map { $0.description(in: page.language) }
        case .success(let result):
            summary = page.t(
                "workPlan_wouldDo",
                [
                    "created": "\(result.created)", "updated": "\(result.updated)", "unchanged": "\(result.unchanged)",
                    "cancelled": "\(result.cancelled)",
                ])
            let steps = result.rows.filter { $0.action != .unchanged }
            changed = steps.count
            rows = steps.prefix(WorkPlanModel.shown).map { step in
                WorkPlanModel.Row(
                    line: step.line, code: step.code, action: page.t("workPlan_action_\(step.action.rawValue)"),
                    changes: step.changes.map { page.t("workPlan_field_\($0)") }.joined(separator: ", "))
            }
        case nil:
            // After an import, the counts it wrote.
            let parameters = request.uri.queryParameters
            if let created = parameters["created"], let updated = parameters["updated"] {
                summary = page.t(
                    "workPlan_done",
                    [
                        "created": String(created), "updated": String(updated),
                        "cancelled": String(parameters["cancelled"] ?? "0"),
                    ])
            }
        }
        let refused = { if case .failure(let failure) = outcome { failure.errors.count } else { 0 } }()
        let model = WorkPlanModel(
            programmes: programmes.map { NewTaskModel.Programme(code: $0.code, selected: $0.code == chosen) },
            dryRun: dryRun, problems: problems, hasProblems: !problems.isEmpty,
            problemCount: refused > 0 ? page.t("workPlan_problemCount", ["count": "\(refused)"]) : nil,
            summary: summary, rows: rows, hasRows: !rows.isEmpty,
            moreRows: changed > rows.count
                ? page.t("workPlan_moreRows", ["count": "\(changed - rows.count)"]) : nil)
        return try page.page(.workPlan, title: page.t("workPlan_title"), model: model, status: status)
    }
}
