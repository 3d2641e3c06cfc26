import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `feedback-moderation`: the comments waiting for the reader to publish or hide them.
struct FeedbackModerationModel: PageModel {
    struct Item: Sendable {
        let reference: String
        let unit: String
        let subject: String
        let received: String
        let receivedAt: String
        let overall: Int
        let comment: String
        let state: String
        /// "reported 3 times", for a published comment readers reported.
        let reported: String?
        let action: String
    }

    struct Reason: Sendable {
        let value: String
        let label: String
    }

    let items: [Item]
    let hasItems: Bool
    let reasons: [Reason]
    let notice: String?
}

/// `feedback-answers`: the published comments waiting for the unit's answer.
struct FeedbackAnswersModel: PageModel {
    struct Item: Sendable {
        let reference: String
        let subject: String
        let overall: Int
        let comment: String
        let due: String
        let overdue: Bool
        let interim: String?
        let canInterim: Bool
        let action: String
    }

    let items: [Item]
    let hasItems: Bool
    let problems: [String]
    let hasProblems: Bool
    let notice: String?
}

/// `feedback-report`: a reader asks the moderators to look at a published comment again.
struct FeedbackReportModel: PageModel {
    let reportCsrf: String
    let reference: String
    let comment: String
    let unitName: String
    let unitHref: String
    let done: Bool
}

/// Moderation (`/feedback/moderation`, for the unit's head and committee roles: publish, or hide
/// with a reason from `ModerationReason`, each decision audited) and readers' reports
/// (`/feedback/comments/{reference}/report`, without an account; a report hides nothing).
extension FeedbackPages {
    func registerModeration(on router: Router<AppRequestContext>) {
        router.get("/feedback/moderation", use: moderation)
        router.post("/feedback/comments/{reference}/moderation", use: moderate)
        router.get("/feedback/comments/{reference}/report", use: reportForm)
        router.post("/feedback/comments/{reference}/report", use: report)
        router.get("/feedback/answers", use: answers)
        router.post("/feedback/comments/{reference}/answer", use: answer)
    }

    /// The published comments waiting for the reader's unit's answer (every unit's for committee
    /// roles), oldest first, each with its due day and an answer form.
    @Sendable func answers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answersPage(request, context, problems: [], status: .ok)
    }

    func answersPage(
        _ request: Request, _ context: AppRequestContext, problems: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let caller = try AuthenticatedContext(context: context).caller
        let units = try await service.units(caller.principal, mayAct: .answerFeedback)
        if units?.isEmpty == true {
            throw AppError.forbidden("only a unit's officials and committee roles may answer citizens' comments")
        }
        let page = PageRequest(request, context, pages)
        let today = service.clock.today()
        let waiting = try await service.feedback.awaitingAnswer(units: units, limit: Self.queueLength)
        let names = try await self.units.names(of: Set(waiting.map(\.unit)))
        let done = request.uri.queryParameters.formValue("done")
        let model = FeedbackAnswersModel(
            items: waiting.compactMap { item in
                guard let reference = item.reference, let comment = item.comment else { return nil }
                return .init(
                    reference: reference, subject: item.task ?? names[item.unit] ?? item.unit, overall: item.overall,
                    comment: comment, due: item.answerDue?.description ?? "",
                    overdue: item.answerIsOverdue(today: today), interim: item.interim,
                    canInterim: item.interimAt == nil, action: "/feedback/comments/\(reference)/answer")
            }, hasItems: !waiting.isEmpty, problems: problems, hasProblems: !problems.isEmpty,
            notice: done == "answered" || done == "interim" ? page.t("answers_done_\(done ?? "")") : nil)
        return try page.page(.feedbackAnswers, title: page.t("answers_title"), model: model, status: status)
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let caller = try AuthenticatedContext(context: context).caller
        let reference = try context.parameters.require("reference")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let interim = fields["interim"] == "yes"
        do {
            _ = try await service.answer(reference: reference, fields["answer"] ?? "", interim: interim, caller)
        } catch let failure as ValidationFailure {
            let page = PageRequest(request, context, pages)
            return try await answersPage(
                request, context, problems: failure.errors.map { $0.description(in: page.language) },
                status: .unprocessableContent)
        }
        return Response(
            status: .seeOther, headers: [.location: "/feedback/answers?done=\(interim ? "interim" : "answered")"])
    }

    /// How many comments the moderation page lists.
    static let queueLength = 50

    @Sendable func moderation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try AuthenticatedContext(context: context).caller
        let units = try await service.units(caller.principal, mayAct: .moderateFeedback)
        if units?.isEmpty == true {
            throw AppError.forbidden("only a unit's head and committee roles may moderate feedback")
        }
        let page = PageRequest(request, context, pages)
        let queue = try await service.feedback.moderationQueue(units: units, limit: Self.queueLength)
        let names = try await self.units.names(of: Set(queue.map(\.unit)))
        let done = request.uri.queryParameters.formValue("done")
        let model = FeedbackModerationModel(
            items: queue.compactMap { item in
                guard let reference = item.reference, let comment = item.comment else { return nil }
                return .init(
                    reference: reference, unit: item.unit, subject: item.task ?? names[item.unit] ?? item.unit,
                    received: HanoiTime.text(item.receivedAt, page.language), receivedAt: item.receivedAt,
                    overall: item.overall, comment: comment, state: page.t("feedback_state_\(item.state.rawValue)"),
                    reported: item.reports > 0
                        ? page.t("moderation_reported", ["count": page.number(item.reports)]) : nil,
                    action: "/feedback/comments/\(reference)/moderation")
            }, hasItems: !queue.isEmpty,
            reasons: ModerationReason.allCases.map {
                .init(value: $0.rawValue, label: page.t("moderation_reason_\($0.rawValue)"))
            },
            notice: done == "published" || done == "hidden" ? page.t("moderation_done_\(done ?? "")") : nil)
        return try page.page(.feedbackModeration, title: page.t("moderation_title"), model: model)
    }

    @Sendable func moderate(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let caller = try AuthenticatedContext(context: context).caller
        let reference = try context.parameters.require("reference")
        let fields = FormFields(body: try await request.collectBody(upTo: 16 * 1024))
        let decision = try FeedbackController.decision(fields["decision"] ?? "", reason: fields["reason"])
        let moderated = try await service.moderate(reference: reference, decision, caller)
        return Response(
            status: .seeOther, headers: [.location: "/feedback/moderation?done=\(moderated.state.rawValue)"])
    }

    @Sendable func reportForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await reportPage(request, context, done: false)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await service.report(reference: try context.parameters.require("reference"))
        return try await reportPage(request, context, done: true)
    }

    func reportPage(_ request: Request, _ context: AppRequestContext, done: Bool) async throws -> Response {
        let reference = try context.parameters.require("reference")
        guard let found = try await service.feedback.feedback(reference: reference), found.takesReports,
            let comment = found.comment
        else { throw AppError.notFound("no published comment has reference \"\(reference)\"") }
        let page = PageRequest(request, context, pages)
        let token = FormToken(request, context)
        let model = FeedbackReportModel(
            reportCsrf: token.value, reference: reference, comment: comment,
            unitName: try await units.get(code: found.unit)?.name ?? found.unit, unitHref: "/units/\(found.unit)",
            done: done)
        var response = try page.page(.feedbackReport, title: page.t("report_title"), model: model)
        Self.neverKept(&response)
        token.set(on: &response, path: "/feedback", secure: cookies.secure(request))
        return response
    }
}
