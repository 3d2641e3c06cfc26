import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `feedback-form`: a rating of a unit's service or of a task's result, with what was typed
/// kept when it is refused.
struct FeedbackFormModel: PageModel {
    struct Score: Sendable {
        let value: Int
        let id: String
        let checked: Bool
    }

    struct Factor: Sendable {
        let name: String
        let label: String
        let noneId: String
        let noneChecked: Bool
        let scores: [Score]
    }

    let feedbackCsrf: String
    let subject: String
    let unit: String?
    let task: String?
    let overall: [Score]
    let factors: [Factor]
    let comment: String
    let maximumComment: Int
    let problems: [String]
    let hasProblems: Bool
}

/// `feedback-receipt`: a rating followed by its receipt.
struct FeedbackReceiptModel: PageModel {
    let receipt: String
    let subject: String
    let subjectHref: String
    let state: String
    let overall: Int
    let factors: [String]
    let hasFactors: Bool
    let comment: String?
    let received: String
    let receivedAt: String
    let notice: String?
    let answerDue: String?
    let interim: String?
    let answer: String?
    let answered: String?
    /// The form to rate the answer, with its token, until it is rated.
    let rateCsrf: String?
    let rateScores: [Int]
    let answerRating: Int?
    /// "Appealed to …" and the parent unit's answer.
    let appeal: String?
    let appealAnswer: String?
    /// The transparency page checking this rating's fact in the log.
    let logHref: String
}

/// The rating pages, without an account and without JavaScript: `/feedback/new?unit=` or
/// `?task=` (linked from a unit's profile and from an accepted task's page), and the receipt's
/// page `/feedback/{receipt}`, where the citizen follows their rating. Both are never kept.
struct FeedbackPages {
    let service: FeedbackService
    let units: any UnitRepository
    let tasks: any TaskRepository
    let pages: PageRenderer
    let cookies: SessionCookies

    func register(on router: Router<AppRequestContext>) {
        router.get("/feedback/new", use: form)
        router.post("/feedback/new", use: receive)
        router.get("/feedback", use: find)
        router.get("/feedback/{receipt}", use: receipt)
        router.post("/feedback/{receipt}/answer-rating", use: rateAnswer)
        registerModeration(on: router)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let typed = FeedbackDraft(
            unit: parameters.formValue("unit"), task: parameters.formValue("task"), overall: nil)
        return try await formPage(request, context, typed, problems: [], status: .ok)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var factors: [String: Int] = [:]
        for factor in SipasFactor.allCases {
            if let score = fields["factor_\(factor.rawValue)"].flatMap(Int.init) { factors[factor.rawValue] = score }
        }
        let draft = FeedbackDraft(
            unit: fields["unit"].flatMap { $0.isEmpty ? nil : $0 },
            task: fields["task"].flatMap { $0.isEmpty ? nil : $0 },
            overall: fields["overall"].flatMap(Int.init), factors: factors, comment: fields["comment"])
        let page = PageRequest(request, context, pages)
        do {
            let received = try await service.receive(
                draft, client: request.clientAddress(context), honeypot: fields["website"])
            return Response(
                status: .seeOther, headers: [.location: "/feedback/\(received.receipt)?done=received"])
        } catch let failure as ValidationFailure {
            return try await formPage(
                request, context, draft, problems: failure.errors.map { $0.description(in: page.language) },
                status: .unprocessableContent)
        } catch let error as AppError where error.status == .tooManyRequests || error.status == .conflict {
            let key = error.status == .conflict ? "feedback_duplicate" : "feedback_tooMany"
            var response = try await formPage(
                request, context, draft, problems: [page.t(key)], status: error.status)
            if let wait = error.retryAfter { response.headers[.retryAfter] = String(wait) }
            return response
        }
    }

    /// The form for `typed`'s subject, which must exist and take ratings.
    func formPage(
        _ request: Request, _ context: AppRequestContext, _ typed: FeedbackDraft, problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let subject: String
        if let code = typed.task {
            guard let record = try await tasks.get(code), record.task.isSignedOff else {
                throw AppError.notFound(field: "task", "no task has code \"\(code)\"")
            }
            subject = "\(code) · \(record.task.title(in: page.language))"
        } else if let code = typed.unit, let unit = try await units.get(code: code), unit.kind.takesRatings {
            subject = unit.name
        } else {
            throw AppError.notFound(field: "unit", "name the unit or the accepted task rated")
        }
        func scores(_ name: String, _ chosen: Int?) -> [FeedbackFormModel.Score] {
            FeedbackDraft.scores.map { .init(value: $0, id: "\(name)-\($0)", checked: $0 == chosen) }
        }
        let token = FormToken(request, context)
        let model = FeedbackFormModel(
            feedbackCsrf: token.value, subject: subject, unit: typed.task == nil ? typed.unit : nil, task: typed.task,
            overall: scores("feedback-overall", typed.overall),
            factors: SipasFactor.allCases.map { factor in
                let chosen = typed.factors?[factor.rawValue]
                return .init(
                    name: "factor_\(factor.rawValue)", label: page.t("feedback_factor_\(factor.rawValue)"),
                    noneId: "feedback-\(factor.rawValue)-none", noneChecked: chosen == nil,
                    scores: scores("feedback-\(factor.rawValue)", chosen))
            }, comment: typed.comment ?? "", maximumComment: FeedbackDraft.maximumComment, problems: problems,
            hasProblems: !problems.isEmpty)
        var response = try page.page(.feedbackForm, title: page.t("feedback_title"), model: model, status: status)
        Self.neverKept(&response)
        token.set(on: &response, path: "/feedback", secure: cookies.secure(request))
        return response
    }

    /// `/feedback?receipt=`: the receipt's page, for a receipt typed in.
    @Sendable func find(_ request: Request, context: AppRequestContext) async throws -> Response {
        let typed = request.uri.queryParameters.formValue("receipt") ?? ""
        guard let receipt = FeedbackReceipt.normalised(typed) else {
            throw AppError.notFound("no rating has receipt \"\(typed)\"")
        }
        return Response(status: .seeOther, headers: [.location: "/feedback/\(receipt)"])
    }

    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let found = try await service.feedback(receipt: try context.parameters.require("receipt"))
        let token = FormToken(request, context)
        let subject: String
        let href: String
        if let code = found.task {
            let title = try await tasks.get(code)?.task.title(in: page.language) ?? ""
            (subject, href) = ("\(code) · \(title)", "/tasks/\(code)")
        } else {
            (subject, href) = (try await units.get(code: found.unit)?.name ?? found.unit, "/units/\(found.unit)")
        }
        var appeal: String?
        if let code = found.appealUnit {
            appeal = page.t("feedback_appealed", ["unit": try await units.get(code: code)?.name ?? code])
        }
        let notice: String? =
            switch request.uri.queryParameters.formValue("done") {
            case "received": page.t("feedback_received")
            case "rated": page.t("feedback_answerRated")
            default: nil
            }
        let model = FeedbackReceiptModel(
            receipt: found.receipt, subject: subject, subjectHref: href,
            state: page.t("feedback_state_\(found.state.rawValue)"), overall: found.overall,
            factors: SipasFactor.allCases.compactMap { factor in
                found.factors[factor].map { "\(page.t("feedback_factor_\(factor.rawValue)")): \($0)/5" }
            }, hasFactors: !found.factors.isEmpty, comment: found.state == .published ? found.comment : nil,
            received: HanoiTime.text(found.receivedAt, page.language), receivedAt: found.receivedAt,
            notice: notice,
            answerDue: found.answer == nil ? found.answerDue?.description : nil, interim: found.interim,
            answer: found.answer, answered: found.answeredAt.map { HanoiTime.text($0, page.language) },
            rateCsrf: found.answer != nil && found.answerRating == nil ? token.value : nil,
            rateScores: Array(FeedbackDraft.scores), answerRating: found.answerRating,
            appeal: appeal, appealAnswer: found.appealAnswer,
            logHref: "/transparency?key=\(Feedback.ratingFactKey(receipt: found.receipt).formEncoded)#check")
        var response = try page.page(
            .feedbackReceipt, title: page.t("feedback_receiptTitle"), model: model)
        Self.neverKept(&response)
        token.set(on: &response, path: "/feedback", secure: cookies.secure(request))
        return response
    }

    /// The citizen rates the unit's answer from the receipt's page.
    @Sendable func rateAnswer(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let receipt = try context.parameters.require("receipt")
        let fields = FormFields(body: try await request.collectBody(upTo: 16 * 1024))
        let rated = try await service.rateAnswer(receipt: receipt, score: fields["score"].flatMap(Int.init) ?? 0)
        return Response(status: .seeOther, headers: [.location: "/feedback/\(rated.receipt)?done=rated"])
    }

    /// A rating's pages are the citizen's: never kept by the edge or a cache, no address sent on.
    static func neverKept(_ response: inout Response) {
        response.headers[.edgeKeep] = nil
        response.headers[.cacheControl] = "private, no-store"
        response.headers[.referrerPolicy] = "no-referrer"
    }
}
