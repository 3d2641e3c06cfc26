import Foundation
import HTTPTypes
import Hummingbird
import MandateCore

/// `POST/GET/DELETE /api/v1/session`: sign in and out with a cookie session.
struct SessionController {
    let accounts: AccountService
    let cookies: SessionCookies

    func register(on routes: inout APIRoutes) {
        routes.on(.post, "/api/v1/session", use: create)
        routes.authenticated(.get, "/api/v1/session", use: get)
        routes.authenticated(.delete, "/api/v1/session", use: delete)
    }

    struct Credentials: Decodable {
        let email: String
        let password: String
    }

    struct SessionInfo: Encodable {
        let user: User
        /// Send this as `X-CSRF-Token` on every unsafe request made with the session cookie.
        let csrfToken: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await JSONBody.decode(Credentials.self, from: request, context: context)
        guard
            let signIn = try await accounts.signIn(
                email: credentials.email, password: credentials.password, client: request.clientAddress(context))
        else {
            context.logger.notice("failed sign-in")
            throw AppError(
                .unauthorized, "invalid-credentials", "Invalid credentials", detail: "wrong e-mail or password")
        }
        if let old = context.identity { try await accounts.signOut(old) }
        var response = try JSONBody.response(SessionInfo(user: signIn.user, csrfToken: signIn.session.csrfToken))
        response.setCookie(cookies.session(signIn.cookieValue, secure: cookies.secure(request)))
        return response
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(SessionInfo(user: context.user, csrfToken: context.identity.csrfToken))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await accounts.signOut(context.identity)
        var response = Response(status: .noContent)
        response.setCookie(cookies.expired(secure: cookies.secure(request)))
        return response
    }
}

/// The session cookie's attributes, in one place.
struct SessionCookies: Sendable {
    /// Mark cookies Secure even when the request does not say it came over TLS.
    let alwaysSecure: Bool

    func secure(_ request: Request) -> Bool {
        alwaysSecure || request.isSecure
    }

    func session(_ value: String, secure: Bool) -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.sessionCookie, value: value, maxAge: 12 * 3600, path: "/", secure: secure,
            httpOnly: true, sameSite: .lax)
    }

    func expired(secure: Bool) -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: secure,
            httpOnly: true, sameSite: .lax)
    }
}
