import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// Pages for officials: the task list (their unit's tasks by default), a task with its reports,
/// extensions and history and the forms to act on it, the escalation board and recommendations.
struct TaskPages {
    let service: TaskService
    let accounts: any AccountRepository
    let pages: PageRenderer
    var tasks: any TaskRepository { service.tasks }
    var units: any UnitRepository { service.units }
    static let pageSize = 50

    func register(on router: Router<AppRequestContext>) {
        router.get("/tasks", use: list)
        router.get("/tasks/new", use: newTask)
        router.post("/tasks/new", use: createTask)
        router.get("/tasks/{code}", use: show)
        router.post("/tasks/{code}/progress", use: recordProgress)
        router.post("/tasks/{code}/reports/{id}/files", use: attach)
        router.post("/tasks/{code}/reports/{id}/submit", use: submit)
        router.post("/tasks/{code}/reports/{id}/decide", use: decide)
        router.post("/tasks/{code}/extensions", use: requestExtension)
        router.post("/tasks/{code}/extensions/{id}/decide", use: decideExtension)
        router.post("/tasks/{code}/decide", use: decideTask)
        router.get("/escalation", use: escalation)
        router.get("/recommendations", use: recommendations)
        router.post("/recommendations", use: raise)
        router.post("/recommendations/{id}/answer", use: answer)
    }

    // MARK: Shared

    /// The row without its empty texts: Mustache shows a section for any string, even an empty one.
    static func compact(_ row: [String: Any]) -> [String: Any] {
        row.filter { !(($0.value as? String)?.isEmpty ?? false) }
    }

    func t(_ key: String, _ context: AppRequestContext) -> String { pages.text(key, context.language) }

    /// Every task page follows live events (see `live.js` and each page's `live` filter).
    func frame(_ request: Request, _ context: AppRequestContext, title: String) -> PageRenderer.Frame {
        var frame = PageRenderer.Frame(
            request: request, language: context.language, identity: context.identity, title: title)
        frame.scripts = ["/static/js/live.js"]
        return frame
    }

    /// Unit names by code, for the codes a page shows (a code without a unit names itself).
    func names(_ codes: some Sequence<String>) async throws -> [String: String] {
        let codes = Set(codes)
        let known = try await units.names(of: codes)
        return Dictionary(uniqueKeysWithValues: codes.map { ($0, known[$0] ?? $0) })
    }

    func statusRow(_ status: TaskStatus, _ context: AppRequestContext) -> [String: Any] {
        ["status": status.rawValue, "statusLabel": t("taskStatus_\(status.rawValue)", context)]
    }

    func taskRow(
        _ record: TaskRecord, names: [String: String], today: CivilDate, _ context: AppRequestContext
    )
        -> [String: Any]
    {
        let status = record.status(today: today)
        var row: [String: Any] = [
            "code": record.task.code, "title": record.task.title, "lead": names[record.task.leadUnit] ?? "",
            "leadCode": record.task.leadUnit, "deadline": record.task.deadline.description,
            "illustrative": record.task.illustrative,
        ]
        if record.progress.workingDeadline != record.task.deadline {
            row["newDeadline"] = record.progress.workingDeadline.description
        }
        if let percent = record.progress.percent { row["percent"] = "\(percent)%" }
        let late = record.progress.daysLate(today: today)
        if status == .overdue || status == .acceptedLate, late > 0 {
            row["lateText"] = t("tasks_daysLate", context).replacingOccurrences(of: "{days}", with: "\(late)")
        }
        return row.merging(statusRow(status, context)) { first, _ in first }
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

    // MARK: Lists

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let today = service.clock.today()
        var query = try TasksController.query(parameters, today: today)
        query.limit = Self.pageSize
        let user = context.identity?.user
        // Signed-in officials of a unit start from their own unit's tasks.
        if parameters["unit"] == nil, let user, !user.role.isCommitteeRole { query.unit = user.unitCode }
        let page = try await tasks.list(query)
        let programmes = try await tasks.programmes()
        let names = try await names(page.items.map(\.task.leadUnit) + [query.unit].compactMap { $0 })
        let rows = page.items.map { taskRow($0, names: names, today: today, context) }
        var data: [String: Any] = [
            "canCreate": user != nil && user?.role != .viewer,
            "rows": rows, "hasRows": !rows.isEmpty, "search": query.search ?? "", "unit": query.unit ?? "",
            "countText": t("tasks_count", context).replacingOccurrences(of: "{total}", with: "\(page.total)"),
            "statuses": TaskStatus.allCases.map {
                [
                    "value": $0.rawValue, "label": t("taskStatus_\($0.rawValue)", context),
                    "selected": $0 == query.status,
                ]
            },
            "programmes": programmes.map {
                ["value": $0.code, "label": $0.code, "selected": $0.code == query.programme]
            },
            "orientations": programmes.flatMap { programme in
                programme.orientations.map {
                    [
                        "value": $0.number, "selected": $0.number == query.orientation,
                        "label": "\($0.number). \(context.language == .vi ? $0.titleVi : $0.titleEn)",
                    ]
                }
            },
            "today": today.description, "live": "*",
        ]
        if let unit = query.unit, let name = names[unit] { data["unitName"] = name }
        func link(offset: Int) -> String {
            var items = parameters.filter { $0.key != "offset" }.map {
                "\(String($0.key).formEncoded)=\(String($0.value).formEncoded)"
            }
            if parameters["unit"] == nil, let unit = query.unit { items.append("unit=\(unit.formEncoded)") }
            items.append("offset=\(offset)")
            return "/tasks?" + items.joined(separator: "&")
        }
        if query.offset + page.items.count < page.total {
            data["nextHref"] = link(offset: query.offset + Self.pageSize)
        }
        if query.offset > 0 { data["previousHref"] = link(offset: max(0, query.offset - Self.pageSize)) }
        return try pages.render("tasks", frame: frame(request, context, title: t("tasks_title", context)), data: data)
            .depending(on: [.tasks])
    }

    // MARK: New tasks

    /// The form to assign a task (committee roles) or to propose one for one's own unit.
    @Sendable func newTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await newTaskPage(request, context, entered: [:], problems: [], status: .ok)
    }

    func newTaskPage(
        _ request: Request, _ context: AppRequestContext, entered: [String: String], problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let user = try AuthenticatedContext(context: context).user
        let assigns = user.role.isCommitteeRole
        let proposes = try await service.may(user, .proposeTask, on: user.unitCode)
        guard assigns || proposes else { throw AppError.forbidden("a \(user.role.rawValue) may not propose tasks") }
        let today = service.clock.today()
        let programmes = try await tasks.programmes()
        var data: [String: Any] = [
            "assigns": assigns, "ownUnit": user.unitCode,
            "ownUnitName": try await units.get(code: user.unitCode)?.name ?? user.unitCode,
            "programmes": programmes.map { ["code": $0.code, "selected": $0.code == entered["programme"]] },
            "orientations": programmes.flatMap { programme in
                programme.orientations.map {
                    [
                        "value": $0.number, "selected": "\($0.number)" == entered["orientation"],
                        "label": "\($0.number). \(context.language == .vi ? $0.titleVi : $0.titleEn)",
                    ]
                }
            },
            "problems": problems, "hasProblems": !problems.isEmpty,
            "start": entered["start"] ?? today.description,
            "deadline": entered["deadline"] ?? today.adding(days: 90).description,
        ]
        for key in ["code", "description", "deliverable", "leadUnit", "coordinatingUnits"] {
            if let value = entered[key], !value.isEmpty { data[key] = value }
        }
        if let value = entered["title"], !value.isEmpty { data["taskTitle"] = value }
        return try pages.render(
            "task-new",
            frame: frame(request, context, title: t(assigns ? "taskNew_assignTitle" : "taskNew_proposeTitle", context)),
            data: data, status: status)
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
        let assigns = authenticated.user.role.isCommitteeRole
        let lead = assigns ? entered["leadUnit"] ?? "" : authenticated.user.unitCode
        let coordinating = (entered["coordinatingUnits"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " })
            .map(String.init)
        let draft = TaskDraft(
            code: entered["code"] ?? "", title: entered["title"] ?? "", description: entered["description"],
            deliverable: entered["deliverable"] ?? "", programme: entered["programme"] ?? "",
            orientation: Int(entered["orientation"] ?? ""), leadUnit: lead, coordinatingUnits: coordinating,
            start: entered["start"] ?? "", deadline: entered["deadline"] ?? "")
        do {
            let record = try await service.create(
                draft, origin: assigns ? .assigned : .proposed, authenticated.caller)
            return Response(
                status: .seeOther,
                headers: [.location: "/tasks/\(record.task.code)?done=\(assigns ? "assigned" : "proposed")"])
        } catch let failure as ValidationFailure {
            return try await newTaskPage(
                request, context, entered: entered, problems: failure.errors.map(\.description),
                status: .unprocessableContent)
        } catch let conflict as StateConflict {
            return try await newTaskPage(
                request, context, entered: entered, problems: [conflict.reason], status: .conflict)
        }
    }

    // MARK: One task

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        return try await page(request, context, code: code, problems: [], status: .ok).depending(on: [.task(code)])
    }

    func page(
        _ request: Request, _ context: AppRequestContext, code: String, problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let record = try await tasks.get(code) else { throw AppError.notFound("no task has code \"\(code)\"") }
        let task = record.task
        let user = context.identity?.user
        let today = service.clock.today()
        let taskStatus = record.status(today: today)
        let open = !taskStatus.isClosed && taskStatus != .proposed
        let readable = try await service.readableUnits(task, user: user)
        let reports = try await tasks.reports(of: code).filter { readable.contains($0.unit) || $0.state == .accepted }
        let extensions = try await tasks.extensions(of: code)
        let names = try await names(task.reportingUnits)
        var people: [String: String] = [:]
        func person(_ id: String?) async throws -> String? {
            guard let id, !readable.isEmpty else { return nil }
            if let known = people[id] { return known }
            let name = try await accounts.user(id: id)?.displayName ?? id
            people[id] = name
            return name
        }
        var reportRows: [[String: Any]] = []
        for report in reports.reversed() {
            var row: [String: Any] = [
                "id": report.id, "unit": names[report.unit] ?? report.unit, "percent": report.percent,
                "narrative": report.narrative, "links": report.links, "hasLinks": !report.links.isEmpty,
                "hasFiles": !report.files.isEmpty, "state": report.state.rawValue,
                "stateLabel": t("reportState_\(report.state.rawValue)", context), "createdAt": report.createdAt,
                "illustrative": report.illustrative,
                "files": report.files.map {
                    [
                        "name": $0.name, "sha256": $0.sha256, "size": $0.size,
                        "href": "/api/v1/reports/\(report.id)/files/\($0.sha256)",
                    ]
                },
            ]
            if let at = report.submittedAt { row["submittedAt"] = at }
            if let at = report.decidedAt { row["decidedAt"] = at }
            if let comment = report.decisionComment { row["comment"] = comment }
            if let name = try await person(report.createdBy) { row["createdBy"] = name }
            let isDraft = report.state == .draft && open
            row["canSubmit"] = try await service.may(user, .submitReport, on: report.unit) && isDraft
            row["canAttach"] = try await service.may(user, .reportProgress, on: report.unit) && isDraft
            row["canDecide"] = try await service.may(user, .reviewReport, on: report.unit) && report.state == .submitted
            reportRows.append(Self.compact(row))
        }
        var extensionRows: [[String: Any]] = []
        var pendingExtension = false
        for request in extensions.reversed() {
            pendingExtension = pendingExtension || request.state == .pending
            extensionRows.append(
                Self.compact([
                    "id": request.id, "deadline": request.requestedDeadline.description, "reason": request.reason,
                    "state": request.state.rawValue,
                    "stateLabel": t("extensionState_\(request.state.rawValue)", context),
                    "requestedAt": request.requestedAt, "decidedAt": request.decidedAt ?? "",
                    "comment": request.decisionComment ?? "",
                    "canDecide": try await service.may(user, .decideExtension, on: request.unit)
                        && request.state == .pending,
                ]))
        }
        var reportingOptions: [[String: Any]] = []
        if open {
            for unit in task.reportingUnits where try await service.may(user, .reportProgress, on: unit) {
                reportingOptions.append(["code": unit, "name": names[unit] ?? unit])
            }
        }
        var history: [[String: Any]] = []
        if readable.contains(task.leadUnit) {
            for event in try await tasks.history(of: code).reversed() {
                history.append(
                    Self.compact([
                        "at": event.at, "what": t("taskEvent_\(event.kind.rawValue)", context),
                        "unit": event.unit.flatMap { names[$0] ?? $0 } ?? "",
                        "who": try await person(event.userId) ?? "",
                        "detail": event.detail ?? "",
                    ]))
            }
        }
        let isCommittee = try await service.may(user, .assignTask, on: task.leadUnit)
        var data: [String: Any] = [
            "task": Self.compact(
                [
                    "code": task.code, "title": task.title, "description": task.description,
                    "deliverable": task.deliverable, "lead": names[task.leadUnit] ?? task.leadUnit,
                    "leadCode": task.leadUnit, "start": task.start.description, "deadline": task.deadline.description,
                    "effectiveDeadline": record.progress.effectiveDeadline.description,
                    "workingDeadline": record.progress.workingDeadline.description,
                    "movedDeadline": record.progress.workingDeadline != task.deadline,
                    "origin": t("taskOrigin_\(task.origin.rawValue)", context), "illustrative": task.illustrative,
                    "coordinating": task.coordinatingUnits.map { ["code": $0, "name": names[$0] ?? $0] },
                    "cancelReason": task.cancelReason ?? "",
                ].merging(statusRow(taskStatus, context)) { first, _ in first }),
            "reports": reportRows, "hasReports": !reportRows.isEmpty, "extensions": extensionRows,
            "hasExtensions": !extensionRows.isEmpty, "history": history, "hasHistory": !history.isEmpty,
            "reportingOptions": reportingOptions, "canReport": !reportingOptions.isEmpty,
            "canRequestExtension": try await service.may(user, .requestExtension, on: task.leadUnit) && open
                && !pendingExtension,
            "canAdopt": try await service.may(user, .adoptProposal, on: task.leadUnit) && taskStatus == .proposed,
            "canCancel": open && isCommittee, "problems": problems, "hasProblems": !problems.isEmpty,
            "signedIn": user != nil, "minDeadline": record.progress.workingDeadline.adding(days: 1).description,
            "live": "task:\(task.code)",
        ]
        if let done = request.uri.queryParameters["done"].map(String.init), !done.isEmpty, problems.isEmpty {
            let text = t("taskDone_\(done)", context)
            if text != "taskDone_\(done)" { data["doneText"] = text }
        }
        return try pages.render(
            "task", frame: frame(request, context, title: "\(task.code): \(task.title)"), data: data, status: status)
    }

    // MARK: Forms

    @Sendable func recordProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 256 * 1024))
        return try await act(request, context, task: code, done: "progress") { authenticated in
            guard let percent = Int((fields["percent"] ?? "").trimmingWhitespace()) else {
                throw ValidationFailure(field: "percent", reason: "a percent is a whole number from 0 to 100")
            }
            let links = (fields["links"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
            _ = try await service.recordProgress(
                ProgressInput(
                    unit: fields["unit"] ?? "", percent: percent, narrative: fields["narrative"] ?? "", links: links),
                on: code, authenticated.caller)
        }
    }

    @Sendable func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        guard let boundary = MultipartForm.boundary(of: request.headers[.contentType]) else {
            throw AppError.badRequest(field: "file", "send the file as multipart/form-data")
        }
        let body = try await request.collectBody(upTo: AuthenticationMiddleware.maximumUpload)
        guard let form = MultipartForm(body: body, boundary: boundary),
            let file = form.files.first(where: { $0.name == "file" })
        else { throw AppError.badRequest(field: "file", "the form has no file") }
        return try await act(request, context, task: code, done: "file") { authenticated in
            _ = try await service.attach(
                file.content, name: file.filename, contentType: file.contentType, to: id, authenticated.caller)
        }
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        return try await act(request, context, task: code, done: "submitted") { authenticated in
            _ = try await service.submit(id, authenticated.caller)
        }
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let accept = fields["decision"] == "accept"
        return try await act(request, context, task: code, done: accept ? "accepted" : "returned") { authenticated in
            guard ["accept", "return"].contains(fields["decision"] ?? "") else {
                throw ValidationFailure(field: "decision", reason: "choose accept or return")
            }
            _ = try await service.decide(id, accept: accept, comment: fields["comment"], authenticated.caller)
        }
    }

    @Sendable func requestExtension(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await act(request, context, task: code, done: "extension") { authenticated in
            _ = try await service.requestExtension(
                ExtensionInput(deadline: fields["deadline"] ?? "", reason: fields["reason"] ?? ""), on: code,
                authenticated.caller)
        }
    }

    @Sendable func decideExtension(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let grant = fields["decision"] == "grant"
        return try await act(request, context, task: code, done: grant ? "granted" : "refused") { authenticated in
            guard ["grant", "refuse"].contains(fields["decision"] ?? "") else {
                throw ValidationFailure(field: "decision", reason: "choose grant or refuse")
            }
            _ = try await service.decideExtension(id, grant: grant, comment: fields["comment"], authenticated.caller)
        }
    }

    /// The committee's decisions on the task itself: adopt a proposal, or cancel.
    @Sendable func decideTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let decision = fields["decision"] ?? ""
        return try await act(request, context, task: code, done: decision == "adopt" ? "adopted" : "cancelled") {
            authenticated in
            switch decision {
            case "adopt": _ = try await service.adopt(code, authenticated.caller)
            case "cancel": _ = try await service.cancel(code, reason: fields["reason"] ?? "", authenticated.caller)
            default: throw ValidationFailure(field: "decision", reason: "choose adopt or cancel")
            }
        }
    }

    // MARK: Escalation and recommendations

    @Sendable func escalation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = service.clock.today()
        // Everyone who is not signed in sees the same page: it is rendered once per data change.
        guard context.identity != nil else {
            let address = "\(context.language.rawValue) \(request.uri)"
            let html = try await service.views.page(address, today: today) {
                try await escalationHTML(request, context, today: today)
            }
            return PageRenderer.response(html: html, signedIn: false).depending(on: [.tasks])
        }
        return PageRenderer.response(html: try await escalationHTML(request, context, today: today), signedIn: true)
    }

    func escalationHTML(_ request: Request, _ context: AppRequestContext, today: CivilDate) async throws -> String {
        let board = try await service.views.escalation(today: today).limited(to: 100)
        let names = try await names(
            board.overdueByUnit.map(\.unit) + board.overdue.map(\.leadUnit) + board.dueWithin30Days.map(\.leadUnit)
                + board.returnedAwaitingResubmission.map(\.unit)
                + board.unansweredRecommendations.flatMap {
                    [$0.fromUnit, $0.toUnit]
                })
        func line(_ line: EscalationBoard.TaskLine) -> [String: Any] {
            [
                "code": line.code, "title": line.title, "lead": names[line.leadUnit] ?? line.leadUnit,
                "deadline": line.effectiveDeadline.description, "days": line.days, "illustrative": line.illustrative,
            ]
        }
        let bands = ["1–7", "8–30", "31–90", "> 90"]
        let data: [String: Any] = [
            "live": "*", "today": today.description,
            "totals": [
                "overdue": board.totals.overdue, "due7": board.totals.dueWithin7Days,
                "due30": board.totals.dueWithin30Days, "returned": board.totals.returnedAwaitingResubmission,
                "unanswered": board.totals.unansweredRecommendations,
            ],
            "bands": zip(bands, board.overdueByDays).map { ["label": $0.0, "count": $0.1] },
            "byUnit": board.overdueByUnit.prefix(50).map { unit in
                [
                    "code": unit.unit, "name": names[unit.unit] ?? unit.unit, "count": unit.count,
                    "bands": unit.byDays.map { ["count": $0] }, "most": unit.mostDaysOverdue,
                ] as [String: Any]
            },
            "overdue": board.overdue.map(line), "due7": board.dueWithin7Days.map(line),
            "due30": board.dueWithin30Days.map(line),
            "returned": board.returnedAwaitingResubmission.map {
                Self.compact([
                    "task": $0.task, "unit": names[$0.unit] ?? $0.unit, "days": $0.daysWaiting,
                    "comment": $0.comment ?? "",
                ])
            },
            "unanswered": board.unansweredRecommendations.map {
                [
                    "title": $0.title, "from": names[$0.fromUnit] ?? $0.fromUnit, "to": names[$0.toUnit] ?? $0.toUnit,
                    "age": $0.ageDays, "due": $0.due.description, "overdue": $0.overdue,
                ] as [String: Any]
            },
        ]
        return try pages.html(
            "escalation", frame: frame(request, context, title: t("escalation_title", context)), data: data)
    }

    @Sendable func recommendations(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await recommendationsPage(request, context, problems: [], status: .ok).depending(on: [.tasks])
    }

    func recommendationsPage(
        _ request: Request, _ context: AppRequestContext, problems: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let today = service.clock.today()
        let user = context.identity?.user
        let unit = request.uri.queryParameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let list = try await tasks.recommendations(unit: unit, unansweredOnly: false, limit: 300)
        let names = try await names(list.flatMap { [$0.fromUnit, $0.toUnit] } + [user?.unitCode].compactMap { $0 })
        var rows: [[String: Any]] = []
        for item in list {
            rows.append(
                Self.compact([
                    "id": item.id, "title": item.title, "body": item.body,
                    "from": names[item.fromUnit] ?? item.fromUnit,
                    "to": names[item.toUnit] ?? item.toUnit, "due": item.due.description, "age": item.age(today: today),
                    "overdue": item.isOverdue(today: today), "answer": item.answer ?? "", "answered": item.isAnswered,
                    "answeredAt": item.answeredAt ?? "", "illustrative": item.illustrative,
                    "canAnswer": try await service.may(user, .answerRecommendation, on: item.toUnit)
                        && !item.isAnswered,
                ]))
        }
        var data: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "problems": problems, "hasProblems": !problems.isEmpty,
            "minDue": today.description, "defaultDue": today.adding(days: 30).description,
        ]
        if let user, try await service.may(user, .raiseRecommendation, on: user.unitCode) {
            data["from"] = ["code": user.unitCode, "name": names[user.unitCode] ?? user.unitCode]
            data["committee"] = try await service.committeeUnit()
        }
        if let done = request.uri.queryParameters["done"].map(String.init), ["raised", "answered"].contains(done) {
            data["doneText"] = t("recommendations_\(done)", context)
        }
        return try pages.render(
            "recommendations", frame: frame(request, context, title: t("recommendations_title", context)), data: data,
            status: status)
    }

    func actOnRecommendation(
        _ request: Request, _ context: AppRequestContext, done: String,
        _ work: (AuthenticatedContext) async throws -> Void
    ) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        do {
            try await work(authenticated)
            return Response(status: .seeOther, headers: [.location: "/recommendations?done=\(done)"])
        } catch let failure as ValidationFailure {
            return try await recommendationsPage(
                request, context, problems: failure.errors.map(\.description), status: .unprocessableContent)
        } catch let conflict as StateConflict {
            return try await recommendationsPage(request, context, problems: [conflict.reason], status: .conflict)
        } catch let error as AppError where error.status == .forbidden {
            return try await recommendationsPage(
                request, context, problems: [error.detail ?? error.title], status: .forbidden)
        }
    }

    @Sendable func raise(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await actOnRecommendation(request, context, done: "raised") { authenticated in
            _ = try await service.raise(
                RecommendationInput(
                    fromUnit: authenticated.user.unitCode, toUnit: (fields["toUnit"] ?? "").trimmingWhitespace(),
                    title: fields["title"] ?? "", body: fields["body"] ?? "", due: fields["due"] ?? ""),
                authenticated.caller)
        }
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await actOnRecommendation(request, context, done: "answered") { authenticated in
            _ = try await service.answer(id, text: fields["answer"] ?? "", authenticated.caller)
        }
    }
}
