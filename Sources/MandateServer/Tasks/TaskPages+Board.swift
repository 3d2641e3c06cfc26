import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The escalation board and the recommendations.
extension TaskPages {
    @Sendable func escalation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = service.clock.today()
        let page = PageRequest(request, context, pages)
        // The board is the same for every reader: drawn once per task data change and language;
        // only the frame around it is drawn per reader. Everyone who is not signed in sees the
        // same whole page, kept the same way.
        let board = try await service.views.page("escalation-board \(context.language.rawValue)", today: today) {
            try await escalationBoardHTML(page, today: today)
        }
        func html() -> String {
            page.html(
                .escalation, title: page.t("escalation_title"), model: EscalationPage(live: "*", board: board),
                scripts: [.live])
        }
        guard context.identity != nil else {
            let address = "\(context.language.rawValue) \(request.uri)"
            let kept = try await service.views.page(address, today: today) { html() }
            return PageRenderer.response(html: kept, signedIn: false).depending(on: [.tasks])
        }
        return PageRenderer.response(html: html(), signedIn: true)
    }

    /// The board's part of the page (`escalation-board`), as every reader sees it.
    func escalationBoardHTML(_ page: PageRequest, today: CivilDate) async throws -> String {
        let board = try await service.views.escalation(today: today).limited(to: 100)
        let names = try await names(
            board.overdueByUnit.map(\.unit) + board.overdue.map(\.leadUnit) + board.dueWithin30Days.map(\.leadUnit)
                + board.returnedAwaitingResubmission.map(\.unit)
                + board.unansweredRecommendations.flatMap { [$0.fromUnit, $0.toUnit] })
        func line(_ line: EscalationBoard.TaskLine) -> EscalationModel.Line {
            EscalationModel.Line(
                code: line.code, title: line.title, lead: names[line.leadUnit] ?? line.leadUnit,
                deadline: line.effectiveDeadline.description, days: line.days, illustrative: line.illustrative)
        }
        // The bands of `EscalationBoard.bands`, in days.
        let bands = ["1–7", "8–30", "31–90", "> 90"]
        let model = EscalationModel(
            live: "*", today: today.description,
            totals: EscalationModel.Totals(
                overdue: board.totals.overdue, due7: board.totals.dueWithin7Days, due30: board.totals.dueWithin30Days,
                returned: board.totals.returnedAwaitingResubmission,
                unanswered: board.totals.unansweredRecommendations),
            bands: zip(bands, board.overdueByDays).map { EscalationModel.Band(label: $0.0, count: $0.1) },
            byUnit: board.overdueByUnit.prefix(50).map { unit in
                EscalationModel.UnitRow(
                    code: unit.unit, name: names[unit.unit] ?? unit.unit, count: unit.count,
                    bands: unit.byDays.map { EscalationModel.Count(count: $0) }, most: unit.mostDaysOverdue)
            },
            overdue: board.overdue.map(line), due7: board.dueWithin7Days.map(line),
            due30: board.dueWithin30Days.map(line),
            returned: board.returnedAwaitingResubmission.map {
                EscalationModel.Returned(
                    task: $0.task, unit: names[$0.unit] ?? $0.unit, days: $0.daysWaiting,
                    comment: $0.comment.flatMap { $0.isEmpty ? nil : $0 })
            },
            unanswered: board.unansweredRecommendations.map {
                EscalationModel.Unanswered(
                    title: $0.title, from: names[$0.fromUnit] ?? $0.fromUnit, to: names[$0.toUnit] ?? $0.toUnit,
                    age: $0.ageDays, due: $0.due.description, overdue: $0.overdue)
            })
        return page.fragment(.escalationBoard, model: model)
    }

    @Sendable func recommendations(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await recommendationsPage(request, context, problems: [], status: .ok).depending(on: [.tasks])
    }

    func recommendationsPage(
        _ request: Request, _ context: AppRequestContext, problems: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let today = service.clock.today()
        let principal = context.identity?.principal ?? .anonymous
        let parameters = request.uri.queryParameters
        let unit = parameters["unit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let offset = try UnitsController.integer(parameters, "offset", default: 0, in: 0...Int(Int32.max))
        let found = try await tasks.recommendations(
            unit: unit, unansweredOnly: false, unsignedUnits: try await service.unsignedUnits(shownTo: principal),
            limit: Self.pageSize, offset: offset)
        let list = found.items
        let names = try await names(
            list.flatMap { [$0.fromUnit, $0.toUnit] } + [page.user?.unitCode].compactMap { $0 })
        var rows: [RecommendationsModel.Row] = []
        for item in list {
            let answers = try await service.may(principal, .answerRecommendation, on: item.toUnit)
            let signs = try await service.may(principal, .signOff, on: item.fromUnit)
            rows.append(
                RecommendationsModel.Row(
                    id: item.id, title: item.title, body: item.body.isEmpty ? nil : item.body,
                    from: names[item.fromUnit] ?? item.fromUnit, to: names[item.toUnit] ?? item.toUnit,
                    due: item.due.description, age: item.age(today: today), overdue: item.isOverdue(today: today),
                    answer: item.answer, answered: item.isAnswered, answeredAt: item.answeredAt,
                    illustrative: item.illustrative, awaitingSignOff: !item.isSignedOff,
                    canSignOff: signs && item.signOffRefusal == nil, canAnswer: answers && item.answerRefusal == nil))
        }
        var from: TaskUnitLink?
        if let user = page.user, try await service.may(principal, .raiseRecommendation, on: user.unitCode) {
            from = TaskUnitLink(code: user.unitCode, name: names[user.unitCode] ?? user.unitCode)
        }
        let committee = from == nil ? nil : try await service.committeeUnit()
        let done = parameters["done"].map(String.init)
        func link(offset: Int) -> String {
            "/recommendations?"
                + ([unit.map { "unit=\($0.formEncoded)" }, "offset=\(offset)"].compactMap { $0 })
                .joined(separator: "&")
        }
        let model = RecommendationsModel(
            rows: rows, hasRows: !rows.isEmpty, problems: problems, hasProblems: !problems.isEmpty,
            minDue: today.description, defaultDue: today.adding(days: 30).description, from: from,
            committee: committee, toHint: committee.map { page.t("recommendations_toHint", ["code": $0]) },
            doneText: done.flatMap {
                ["raised", "raisedAwaiting", "signedOff", "answered"].contains($0)
                    ? page.t("recommendations_\($0)") : nil
            },
            countText: page.t("recommendations_count", ["total": page.number(found.total)]),
            nextHref: offset + list.count < found.total ? link(offset: offset + Self.pageSize) : nil,
            previousHref: offset > 0 ? link(offset: max(0, offset - Self.pageSize)) : nil)
        return try page.page(
            .recommendations, title: page.t("recommendations_title"), model: model, scripts: [.live], status: status)
    }

    /// Runs a form's write, which names the notice to show (`?done=`); on a refusal or bad input,
    /// shows the page again with the reason.
    func actOnRecommendation(
        _ request: Request, _ context: AppRequestContext, _ work: (AuthenticatedContext) async throws -> String
    ) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        do {
            let done = try await work(authenticated)
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
        return try await actOnRecommendation(request, context) { authenticated in
            let raised = try await service.raise(
                RecommendationInput(
                    fromUnit: authenticated.user.unitCode, toUnit: (fields["toUnit"] ?? "").trimmingWhitespace(),
                    title: fields["title"] ?? "", body: fields["body"] ?? "", due: fields["due"] ?? ""),
                authenticated.caller)
            return raised.isSignedOff ? "raised" : "raisedAwaiting"
        }
    }

    @Sendable func signOffRecommendation(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        _ = try await request.collectBody(upTo: 64 * 1024)
        return try await actOnRecommendation(request, context) { authenticated in
            _ = try await service.signOff(recommendation: id, authenticated.caller)
            return "signedOff"
        }
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await actOnRecommendation(request, context) { authenticated in
            _ = try await service.answer(id, text: fields["answer"] ?? "", authenticated.caller)
            return "answered"
        }
    }
}
