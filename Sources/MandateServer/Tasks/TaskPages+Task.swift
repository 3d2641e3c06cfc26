import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// One task's page: what its reader is shown (`TaskDisclosure`) and the forms its reader may use
/// (`TaskOffers`, the writes' own decisions).
extension TaskPages {
    /// The notices of a write done through a form (`?done=`).
    static let doneNotices: Set<String> = [
        "progress", "file", "submitted", "accepted", "returned", "extension", "granted", "refused", "adopted",
        "cancelled", "assigned", "proposed", "proposedAwaiting", "signedOff", "edited", "withdrawn",
    ]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        return try await page(request, context, code: code, problems: [], status: .ok).depending(on: [.task(code)])
    }

    func page(
        _ request: Request, _ context: AppRequestContext, code: String, problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let principal = context.identity?.principal ?? .anonymous
        let record = try await service.task(code, shownTo: principal)
        let task = record.task
        let taskStatus = record.status(today: service.clock.today())
        let paths = try await service.paths(task.reportingUnits)
        let shown = TaskDisclosure(task: task, reader: principal, units: paths)
        let extensions = try await tasks.extensions(of: code)
        let offers = TaskOffers(
            principal: principal, state: TaskWorkflow.State(task, progress: record.progress, extensions: extensions),
            paths: paths)
        let names = try await names(task.reportingUnits)
        var people: [String: String] = [:]
        /// The display name of an account the reader may see named.
        func person(_ id: String?) async throws -> String? {
            guard let id else { return nil }
            if let known = people[id] { return known }
            let name = try await accounts.user(id: id)?.displayName ?? id
            people[id] = name
            return name
        }
        var reports: [TaskPageModel.Report] = []
        for report in try await tasks.reports(of: code).reversed() {
            guard let report = shown.report(report) else { continue }
            reports.append(
                TaskPageModel.Report(
                    id: report.id, unit: names[report.unit] ?? report.unit, percent: report.percent,
                    narrative: report.narrative, links: report.links, hasLinks: !report.links.isEmpty,
                    files: report.files.map {
                        TaskPageModel.File(
                            name: $0.name, sha256: $0.sha256, size: $0.size,
                            href: "/api/v1/reports/\(report.id)/files/\($0.sha256)")
                    },
                    hasFiles: !report.files.isEmpty, state: report.state.rawValue,
                    stateLabel: page.t("reportState_\(report.state.rawValue)"), createdAt: report.createdAt,
                    createdBy: try await person(report.createdBy), submittedAt: report.submittedAt,
                    decidedAt: report.decidedAt, comment: report.decisionComment, illustrative: report.illustrative,
                    linksText: report.links.joined(separator: "\n"),
                    canEdit: offers.offers(.editReport, on: report),
                    canWithdraw: offers.offers(.withdrawReport, on: report),
                    canAttach: offers.offers(.attachFile, on: report),
                    canSubmit: offers.offers(.submitReport, on: report),
                    canDecide: offers.offers(.acceptReport, on: report)))
        }
        let requests = extensions.reversed().map { request in
            TaskPageModel.Extension(
                id: request.id, deadline: request.requestedDeadline.description, reason: request.reason,
                state: request.state.rawValue, stateLabel: page.t("extensionState_\(request.state.rawValue)"),
                requestedAt: request.requestedAt, decidedAt: request.decidedAt, comment: request.decisionComment,
                canDecide: offers.offers(.decideExtension, on: request))
        }
        let indicatorNames: [String: String] =
            task.indicators.isEmpty
            ? [:]
            : Dictionary(
                try await service.indicators.list().map { ($0.code, page.language == .vi ? $0.nameVi : $0.nameEn) },
                uniquingKeysWith: { first, _ in first })
        var history: [TaskPageModel.Event] = []
        if shown.showsHistory {
            for event in shown.history(try await tasks.history(of: code))?.reversed() ?? [] {
                history.append(
                    TaskPageModel.Event(
                        at: event.at, atText: HanoiTime.text(event.at, page.language),
                        what: page.t("taskEvent_\(event.kind.rawValue)"),
                        unit: event.unit.map { names[$0] ?? $0 }, who: try await person(event.userId),
                        detail: Self.detail(of: event, page)))
            }
        }
        let reportingOptions = task.reportingUnits.filter { offers.offers(.recordProgress, on: $0) }.map {
            TaskUnitLink(code: $0, name: names[$0] ?? $0)
        }
        let done = request.uri.queryParameters["done"].map(String.init)
        let model = TaskPageModel(
            task: TaskPageModel.Task(
                code: task.code, title: task.title(in: page.language),
                description: task.description.isEmpty ? nil : task.description,
                deliverable: task.deliverable, lead: names[task.leadUnit] ?? task.leadUnit, leadCode: task.leadUnit,
                start: task.start.description, deadline: task.deadline.description,
                effectiveDeadline: record.progress.effectiveDeadline.description,
                workingDeadline: record.progress.workingDeadline.description,
                movedDeadline: record.progress.workingDeadline != task.deadline,
                origin: page.t("taskOrigin_\(task.origin.rawValue)"), illustrative: task.illustrative,
                coordinating: task.coordinatingUnits.map { TaskUnitLink(code: $0, name: names[$0] ?? $0) },
                cancelReason: task.cancelReason.flatMap { $0.isEmpty ? nil : $0 }, status: taskStatus.rawValue,
                statusLabel: page.t("taskStatus_\(taskStatus.rawValue)"),
                awaitingSignOff: taskStatus == .awaitingSignOff,
                priority: task.priority == .normal ? nil : page.t("task_priority_\(task.priority.rawValue)"),
                technologies: task.technologies, hasTechnologies: !task.technologies.isEmpty,
                indicators: task.indicators.map { TaskUnitLink(code: $0, name: indicatorNames[$0] ?? $0) },
                hasIndicators: !task.indicators.isEmpty,
                rateHref: taskStatus.takesRatings ? "/feedback/new?task=\(task.code.formEncoded)" : nil),
            reports: reports, hasReports: !reports.isEmpty, extensions: requests, hasExtensions: !requests.isEmpty,
            history: history, hasHistory: !history.isEmpty, reportingOptions: reportingOptions,
            canReport: !reportingOptions.isEmpty,
            canRequestExtension: offers.offers(.requestExtension, on: task.leadUnit),
            canSignOff: offers.offers(.signOff, on: task.leadUnit), canAdopt: offers.offers(.adopt, on: task.leadUnit),
            canCancel: offers.offers(.cancel, on: task.leadUnit),
            problems: problems, hasProblems: !problems.isEmpty, signedIn: context.identity != nil,
            minDeadline: record.progress.workingDeadline.adding(days: 1).description,
            doneText: done.flatMap {
                Self.doneNotices.contains($0) && problems.isEmpty ? page.t("taskDone_\($0)") : nil
            },
            live: "task:\(task.code)")
        return try page.page(
            .task, title: "\(task.code): \(task.title(in: page.language))", model: model, scripts: [.live],
            status: status)
    }

    /// An event's detail in the page's language: a revision's fields named in words.
    static func detail(of event: TaskEvent, _ page: PageRequest) -> String? {
        guard let detail = event.detail, !detail.isEmpty else { return nil }
        guard event.kind == .revised else { return detail }
        return detail.split(separator: ",").map { page.t("workPlan_field_\(String($0).trimmingWhitespace())") }
            .joined(separator: ", ")
    }
}
