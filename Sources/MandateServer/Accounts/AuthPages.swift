import Hummingbird
import MandateCore

/// The sign-in page and the sign-out button's target.
struct AuthPages {
    let accounts: AccountService
    let pages: PageRenderer
    let cookies: SessionCookies
    let demo: Bool

    func register(on router: Router<AppRequestContext>) {
        router.get("/login", use: form)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? =
            switch request.uri.queryParameters["done"] {
            case "password": "auth_passwordChanged"
            case "reset": "auth_passwordReset"
            default: nil
            }
        return try render(
            request, context: context, email: "", error: nil, notice: notice.map { pages.text($0, context.language) })
    }

    /// The sign-in form, or with `challenge` the second factor's code form.
    private func render(
        _ request: Request, context: AppRequestContext, email: String, error: String?, challenge: String? = nil,
        notice: String? = nil
    ) throws -> Response {
        // Signed-in visitors post with their session's token; others get a double-submit cookie.
        let token = FormToken(request, context)
        let page = PageRequest(request, context, pages)
        var response = try page.page(
            .login, title: page.t("auth_loginTitle"),
            model: LoginModel(
                loginCsrf: token.value, email: email, error: error, notice: notice, challenge: challenge, demo: demo),
            status: error == nil ? .ok : .unauthorized)
        token.set(on: &response, path: "/login", secure: cookies.secure(request))
        return response
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let email = fields["email"] ?? ""
        let client = request.clientAddress(context)
        let signIn: AccountService.SignIn
        if let challenge = fields["challenge"] {
            do {
                signIn = try await accounts.completeSignIn(
                    challenge: challenge, code: fields["code"] ?? "", client: client)
            } catch let error as AppError where error.status == .unauthorized {
                context.logger.notice("failed second factor")
                let expired = error.slug == "sign-in-expired"
                return try render(
                    request, context: context, email: "",
                    error: pages.text(expired ? "auth_expired" : "auth_codeWrong", context.language),
                    challenge: expired ? nil : challenge)
            }
        } else {
            switch try await accounts.signIn(email: email, password: fields["password"] ?? "", client: client) {
            case nil:
                context.logger.notice("failed sign-in")
                return try render(
                    request, context: context, email: email, error: pages.text("auth_failed", context.language))
            case .codeNeeded(let challenge):
                return try render(request, context: context, email: "", error: nil, challenge: challenge)
            case .signedIn(let done):
                signIn = done
            }
        }
        if let old = context.identity { try await accounts.signOut(old) }
        // A role that needs a second factor the account lacks goes to set one up.
        let next = accounts.mustEnrol(signIn.user) ? "/account" : "/work"
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(cookies.session(signIn.cookieValue, secure: cookies.secure(request)))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let identity = context.identity { try await accounts.signOut(identity) }
        var response = Response(status: .seeOther, headers: [.location: "/units"])
        response.setCookie(cookies.expired(secure: cookies.secure(request)))
        return response
    }
}

/// The sign-in form: the double-submit token, the e-mail typed, why the last try failed.
struct LoginModel: PageModel {
    let loginCsrf: String
    let email: String
    let error: String?
    let notice: String?
    /// The proof of a right password, when the second factor's code is asked for.
    let challenge: String?
    /// Whether the demo accounts exist (their hint is shown).
    let demo: Bool
}
