import Hummingbird
import MandateCore

/// `/api/v1/feedback`: a citizen rates a unit's service or an accepted task's result, without an
/// account, and follows it by its receipt.
struct FeedbackController {
    let service: FeedbackService

    func register(on routes: inout APIRoutes) {
        routes.on(.post, "/api/v1/feedback", use: receive)
        routes.on(.get, "/api/v1/feedback/{receipt}", use: show)
        routes.publicRead("/api/v1/units/{code}/satisfaction", use: satisfaction)
        routes.authenticated(.post, "/api/v1/feedback/comments/{reference}/moderation", use: moderate)
        routes.on(.post, "/api/v1/feedback/comments/{reference}/reports", use: report)
        routes.authenticated(.post, "/api/v1/feedback/comments/{reference}/answer", use: answer)
        routes.on(.post, "/api/v1/feedback/{receipt}/answer-rating", use: rateAnswer)
    }

    struct AnswerRating: Decodable {
        let score: Int
    }

    /// The citizen, with the receipt, rates the unit's answer; 1 or 2 appeals to the parent unit.
    @Sendable func rateAnswer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(AnswerRating.self, from: request, context: context)
        let rated = try await service.rateAnswer(receipt: try context.parameters.require("receipt"), score: body.score)
        return try JSONBody.response(FeedbackView(rated), cache: "private, no-store")
    }

    struct Answer: Decodable {
        let answer: String
        let interim: Bool?
    }

    @Sendable func answer(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let reference = try context.parameters.require("reference")
        let body = try await JSONBody.decode(Answer.self, from: request, context: context)
        let answered = try await service.answer(
            reference: reference, body.answer, interim: body.interim ?? false, context.caller)
        return try JSONBody.response(FeedbackView(answered))
    }

    struct Decision: Decodable {
        let decision: String
        let reason: String?
    }

    /// `{"decision": "publish"}` or `{"decision": "hide", "reason": "abusive"}`.
    static func decision(_ decision: String, reason: String?) throws -> ModerationDecision {
        switch decision {
        case "publish": return .publish
        case "hide":
            guard let reason = reason.flatMap(ModerationReason.init) else {
                let known = ModerationReason.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationFailure([
                    RowError(
                        line: nil, column: "reason", en: "a comment is hidden for one of: \(known)",
                        vi: "hãy chọn lý do ẩn ý kiến: \(known)")
                ])
            }
            return .hide(reason)
        default:
            throw ValidationFailure([
                RowError(line: nil, column: "decision", en: "publish or hide", vi: "công bố hoặc ẩn")
            ])
        }
    }

    @Sendable func moderate(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let reference = try context.parameters.require("reference")
        let body = try await JSONBody.decode(Decision.self, from: request, context: context)
        let moderated = try await service.moderate(
            reference: reference, try Self.decision(body.decision, reason: body.reason), context.caller)
        return try JSONBody.response(FeedbackView(moderated))
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await service.report(reference: try context.parameters.require("reference"))
        return Response(status: .accepted)
    }

    /// A unit's satisfaction figures over a period (`?period=2026` or `2026-03`; the current
    /// year by default), its communes' ratings taken in.
    @Sendable func satisfaction(_ request: Request, context: PublicContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard try await service.units.get(code: code) != nil else {
            throw AppError.notFound(field: "code", "no unit has code \"\(code)\"")
        }
        let period = request.uri.queryParameters.formValue("period") ?? String(service.clock.today().year)
        let counts = try await service.counts(of: code, period: period)
        return try JSONBody.response(
            SatisfactionFigures(unit: code, period: period, counts: counts, minimum: service.minimum),
            cache: "no-cache"
        ).depending(on: [.unit(code)])
    }

    /// A honeypot field (`website`) is read from the body too: people never fill it. A field may
    /// be left out, but not sent as null: the document says what type each one has.
    struct Body: Decodable {
        var unit: String?
        var task: String?
        var overall: Int?
        var factors: [String: Int]?
        var comment: String?
        var website: String?

        enum CodingKeys: String, CodingKey {
            case unit, task, overall, factors, comment, website
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func present<T: Decodable>(_ key: CodingKeys, _ type: T.Type) throws -> T? {
                container.contains(key) ? try container.decode(type, forKey: key) : nil
            }
            unit = try present(.unit, String.self)
            task = try present(.task, String.self)
            overall = try present(.overall, Int.self)
            factors = try present(.factors, [String: Int].self)
            comment = try present(.comment, String.self)
            website = try present(.website, String.self)
        }
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(Body.self, from: request, context: context)
        let draft = FeedbackDraft(
            unit: body.unit, task: body.task, overall: body.overall, factors: body.factors, comment: body.comment)
        let received = try await service.receive(
            draft, client: request.clientAddress(context), honeypot: body.website)
        return try JSONBody.response(FeedbackView(received), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await service.feedback(receipt: try context.parameters.require("receipt"))
        return try JSONBody.response(FeedbackView(found), cache: "private, no-store")
    }
}
