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
        try render(request, context: context, email: "", error: nil)
    }

    private func render(
        _ request: Request, context: AppRequestContext, email: String, error: String?
    ) throws -> Response {
        // Signed-in visitors post with their session's token; others get a double-submit cookie.
        let token =
            context.identity?.csrfToken ?? request.cookies[AuthenticationMiddleware.loginCSRFCookie]?.value
            ?? Secrets.random()
        let page = PageRequest(request, context, pages)
        var response = try page.page(
            .login, title: page.t("auth_loginTitle"),
            model: LoginModel(loginCsrf: token, email: email, error: error, demo: demo),
            status: error == nil ? .ok : .unauthorized)
        if context.identity == nil {
            response.setCookie(
                Cookie(
                    name: AuthenticationMiddleware.loginCSRFCookie, value: token, maxAge: 3600, path: "/login",
                    secure: cookies.secure(request), httpOnly: true, sameSite: .strict))
        }
        return response
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let email = fields["email"] ?? ""
        guard
            let signIn = try await accounts.signIn(
                email: email, password: fields["password"] ?? "", client: request.clientAddress(context))
        else {
            context.logger.notice("failed sign-in")
            return try render(
                request, context: context, email: email, error: pages.text("auth_failed", context.language))
        }
        if let old = context.identity { try await accounts.signOut(old) }
        var response = Response(status: .seeOther, headers: [.location: "/units"])
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
    /// Whether the demo accounts exist (their hint is shown).
    let demo: Bool
}
