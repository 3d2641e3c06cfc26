import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// Pages for officials: the task list (their unit's tasks by default), a task with its reports,
/// extensions and history and the forms to act on it, the escalation board and recommendations.
/// Every write goes through `TaskService`; every form is offered as the write would decide.
struct TaskPages {
    let service: TaskService
    let accounts: any AccountRepository
    /// The ranking methods and publications a programme's page lists.
    let rankings: any RankingRepository
    let pages: PageRenderer
    var tasks: any TaskRepository { service.tasks }
    var units: any UnitRepository { service.units }
    static let pageSize = 50

    func register(on router: Router<AppRequestContext>) {
        registerProgrammes(on: router)
        router.get("/tasks", use: list)
        router.get("/tasks/new", use: newTask)
        router.post("/tasks/new", use: createTask)
        router.get("/tasks/import", use: workPlan)
        router.post("/tasks/import", use: importWorkPlan)
        router.get("/tasks/{code}", use: show)
        router.post("/tasks/{code}/progress", use: recordProgress)
        router.post("/tasks/{code}/reports/{id}/files", use: attach)
        router.post("/tasks/{code}/reports/{id}/edit", use: editReport)
        router.post("/tasks/{code}/reports/{id}/withdraw", use: withdrawReport)
        router.post("/tasks/{code}/reports/{id}/submit", use: submit)
        router.post("/tasks/{code}/reports/{id}/decide", use: decide)
        router.post("/tasks/{code}/extensions", use: requestExtension)
        router.post("/tasks/{code}/extensions/{id}/decide", use: decideExtension)
        router.post("/tasks/{code}/decide", use: decideTask)
        router.get("/escalation", use: escalation)
        router.get("/recommendations", use: recommendations)
        router.post("/recommendations", use: raise)
        router.post("/recommendations/{id}/sign-off", use: signOffRecommendation)
        router.post("/recommendations/{id}/answer", use: answer)
    }

    /// Unit names by code, for the codes a page shows (a code without a unit names itself).
    func names(_ codes: some Sequence<String>) async throws -> [String: String] {
        let codes = Set(codes)
        let known = try await units.names(of: codes)
        return Dictionary(uniqueKeysWithValues: codes.map { ($0, known[$0] ?? $0) })
    }

    /// Whether the reader may see every unit's internal data: the committee's whole tree.
    func readsWholeTree(_ principal: Principal) async throws -> Bool {
        try await service.may(principal, .readInternal, on: try await service.committeeUnit())
    }

    /// Runs a form's write; on a refusal or bad input, shows the task page again with the reason.
    func act(
        _ request: Request, _ context: AppRequestContext, task code: String, done: String,
        _ work: (AuthenticatedContext) async throws -> Void
    ) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        do {
            try await work(authenticated)
            return Response(status: .seeOther, headers: [.location: "/tasks/\(code)?done=\(done)"])
        } catch let failure as ValidationFailure {
            return try await page(
                request, context, code: code, problems: failure.errors.map(\.description), status: .unprocessableContent
            )
        } catch let conflict as StateConflict {
            return try await page(request, context, code: code, problems: [conflict.reason], status: .conflict)
        } catch let error as AppError where error.status == .forbidden || error.status == .contentTooLarge {
            return try await page(
                request, context, code: code, problems: [error.detail ?? error.title], status: error.status)
        }
    }

    // MARK: The list

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let parameters = request.uri.queryParameters
        let today = service.clock.today()
        var query = try TasksController.query(parameters, today: today)
        query.limit = Self.pageSize
        let principal = context.identity?.principal ?? .anonymous
        // Officials who read only part of the tree start from their own unit's tasks.
        if parameters["unit"] == nil, let user = page.user, !(try await readsWholeTree(principal)) {
            query.unit = user.unitCode
        }
        query.unsignedUnits = try await service.unsignedUnits(shownTo: principal)
        let found = try await tasks.list(query)
        let programmes = try await tasks.programmes()
        let names = try await names(found.items.map(\.task.leadUnit) + [query.unit].compactMap { $0 })
        let rows = found.items.map { Self.row($0, names: names, today: today, page) }
        func link(offset: Int) -> String {
            var items = parameters.filter { $0.key != "offset" }.map {
                "\(String($0.key).formEncoded)=\(String($0.value).formEncoded)"
            }
            if parameters["unit"] == nil, let unit = query.unit { items.append("unit=\(unit.formEncoded)") }
            items.append("offset=\(offset)")
            return "/tasks?" + items.joined(separator: "&")
        }
        let creates = try await creates(principal, user: page.user)
        let model = TaskListModel(
            canCreate: creates != nil, canImport: creates == .assigned, rows: rows, hasRows: !rows.isEmpty,
            search: query.search ?? "", unit: query.unit ?? "", unitName: query.unit.flatMap { names[$0] },
            countText: page.t("tasks_count", ["total": "\(found.total)"]),
            statuses: TaskStatus.allCases.map {
                TaskChoice(
                    value: $0.rawValue, label: page.t("taskStatus_\($0.rawValue)"), selected: $0 == query.status)
            },
            programmes: programmes.map {
                TaskChoice(value: $0.code, label: $0.code, selected: $0.code == query.programme)
            },
            orientations: Self.orientations(programmes, selected: query.orientation, page),
            today: today.description, live: "*",
            nextHref: query.offset + found.items.count < found.total ? link(offset: query.offset + Self.pageSize) : nil,
            previousHref: query.offset > 0 ? link(offset: max(0, query.offset - Self.pageSize)) : nil)
        return try page.page(.tasks, title: page.t("tasks_title"), model: model, scripts: [.live])
            .depending(on: [.tasks])
    }

    static func row(
        _ record: TaskRecord, names: [String: String], today: CivilDate, _ page: PageRequest
    )
        -> TaskListModel.Row
    {
        let status = record.status(today: today)
        let late = record.progress.daysLate(today: today)
        return TaskListModel.Row(
            code: record.task.code, title: record.task.title(in: page.language),
            lead: names[record.task.leadUnit] ?? "",
            leadCode: record.task.leadUnit, deadline: record.task.deadline.description,
            illustrative: record.task.illustrative,
            newDeadline: record.progress.workingDeadline != record.task.deadline
                ? record.progress.workingDeadline.description : nil,
            percent: record.progress.percent.map { "\($0)%" },
            lateText: (status == .overdue || status == .acceptedLate) && late > 0
                ? page.t("tasks_daysLate", ["days": page.number(late)]) : nil,
            status: status.rawValue, statusLabel: page.t("taskStatus_\(status.rawValue)"))
    }

    /// The orientations of every programme, as choices.
    static func orientations(_ programmes: [Programme], selected: Int?, _ page: PageRequest) -> [TaskChoice] {
        programmes.flatMap { programme in
            programme.orientations.map {
                TaskChoice(
                    value: "\($0.number)", label: "\($0.number). \(page.language == .vi ? $0.titleVi : $0.titleEn)",
                    selected: $0.number == selected)
            }
        }
    }
}
