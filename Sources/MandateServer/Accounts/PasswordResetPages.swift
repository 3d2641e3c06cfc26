import HTTPTypes
import Hummingbird
import MandateCore

/// `/password-reset/{secret}`: the page a one-time link leads to (`PasswordReset`), where the
/// account's owner chooses a new password without being signed in. The page is never kept or
/// shared, sends no referrer, and the secret never reaches the logs (`loggedPath`).
struct PasswordResetPages {
    let accounts: AccountService
    let pages: PageRenderer
    let cookies: SessionCookies

    static let prefix = "/password-reset/"

    func register(on router: Router<AppRequestContext>) {
        router.get("/password-reset/{secret}", use: form)
        router.post("/password-reset/{secret}", use: reset)
    }

    /// A request's path as the logs write it: the secret of a reset link left out.
    static func loggedPath(_ uri: String) -> String {
        uri.hasPrefix(prefix) ? prefix + "…" : uri
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = try context.parameters.require("secret")
        switch try await accounts.passwordResetAccount(token: secret) {
        case .failure(let refusal):
            return try render(request, context, email: nil, problems: [], refusal: refusal)
        case .success(let user):
            return try render(request, context, email: user.email, problems: [], refusal: nil)
        }
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = try context.parameters.require("secret")
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        do {
            let user = try await accounts.resetPassword(
                token: secret, new: fields["newPassword"] ?? "", repeated: fields["repeatPassword"] ?? "")
            context.logger.notice("password set through a reset link", metadata: ["user": .string(user.id)])
            var response = Response(status: .seeOther, headers: [.location: "/login?done=reset"])
            response.headers[.referrerPolicy] = "no-referrer"
            return response
        } catch let refusal as PasswordReset.Refusal {
            return try render(request, context, email: nil, problems: [], refusal: refusal)
        } catch let failure as ValidationFailure {
            let email: String? =
                if case .success(let user) = try await accounts.passwordResetAccount(token: secret) {
                    user.email
                } else { nil }
            let page = PageRequest(request, context, pages)
            let new = fields["newPassword"] ?? ""
            let problems = failure.errors.map { error in
                if error.column == "repeatPassword" { return page.t("reset_differ") }
                return PasswordPolicy.problem(new).map { page.t("password_\($0.rawValue)") } ?? error.reason
            }
            return try render(request, context, email: email, problems: problems, refusal: nil)
        }
    }

    private func render(
        _ request: Request, _ context: AppRequestContext, email: String?, problems: [String],
        refusal: PasswordReset.Refusal?
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        let token = FormToken(request, context)
        let model = PasswordResetModel(
            resetCsrf: token.value, email: email, problems: problems, hasProblems: !problems.isEmpty,
            refusal: refusal.map { page.t("reset_refused_\($0.rawValue)") })
        let status: HTTPResponse.Status =
            switch refusal {
            case nil: problems.isEmpty ? .ok : .unprocessableContent
            case .unknown: .notFound
            case .used, .expired, .accountDisabled: .gone
            }
        var response = try page.page(.passwordReset, title: page.t("reset_title"), model: model, status: status)
        // Never kept by the edge or a browser's cache, and no address (with its secret) sent on.
        response.headers[.edgeKeep] = nil
        response.headers[.cacheControl] = "private, no-store"
        response.headers[.referrerPolicy] = "no-referrer"
        token.set(on: &response, path: Self.prefix, secure: cookies.secure(request))
        return response
    }
}

/// The reset page: the account's e-mail while the link works, or why it does not.
struct PasswordResetModel: PageModel {
    let resetCsrf: String
    let email: String?
    let problems: [String]
    let hasProblems: Bool
    let refusal: String?
}
