import Foundation
import HTTPTypes
import Hummingbird
import MandateCore

/// `POST/GET/DELETE /api/v1/session`: sign in and out with a cookie session; change one's own
/// password; end one's sessions elsewhere; set up a second factor.
struct SessionController {
    let accounts: AccountService
    let cookies: SessionCookies

    func register(on routes: inout APIRoutes) {
        routes.on(.post, "/api/v1/session", use: create)
        routes.authenticated(.get, "/api/v1/session", use: get)
        routes.authenticated(.delete, "/api/v1/session", use: delete)
        routes.authenticated(.post, "/api/v1/session/password", use: changePassword)
        routes.authenticated(.delete, "/api/v1/session/others", use: endOthers)
        routes.authenticated(.post, "/api/v1/session/second-factor", use: offerSecondFactor)
        routes.authenticated(.post, "/api/v1/session/second-factor/confirm", use: confirmSecondFactor)
    }

    struct Credentials: Decodable {
        let email: String
        let password: String
        /// The authenticator app's code, or a recovery code, for an account with a second factor.
        let code: String?
    }

    struct SessionInfo: Encodable {
        let user: User
        /// Send this as `X-CSRF-Token` on every unsafe request made with the session cookie.
        let csrfToken: String?
        /// The role needs a second factor the account has not set up: until it is, the session
        /// may only set one up (`SecondFactor`).
        let secondFactorSetupRequired: Bool
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await JSONBody.decode(Credentials.self, from: request, context: context)
        let signIn: AccountService.SignIn
        switch try await accounts.signIn(
            email: credentials.email, password: credentials.password, code: credentials.code,
            client: request.clientAddress(context))
        {
        case nil:
            context.logger.notice("failed sign-in")
            throw AppError(
                .unauthorized, "invalid-credentials", "Invalid credentials", detail: "wrong e-mail or password")
        case .codeNeeded:
            throw AppError(
                .unauthorized, "second-factor-required", "Code required",
                detail: "this account has a second factor: send the code of its authenticator app, or a recovery "
                    + "code, as \"code\" with the e-mail and password")
        case .signedIn(let done):
            signIn = done
        }
        if let old = context.identity { try await accounts.signOut(old) }
        var response = try JSONBody.response(
            SessionInfo(
                user: signIn.user, csrfToken: signIn.session.csrfToken,
                secondFactorSetupRequired: accounts.mustEnrol(signIn.user)))
        response.setCookie(cookies.session(signIn.cookieValue, secure: cookies.secure(request)))
        return response
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(
            SessionInfo(
                user: context.user, csrfToken: context.identity.csrfToken,
                secondFactorSetupRequired: context.identity.enrolling))
    }

    struct PasswordOnly: Decodable {
        let password: String
    }

    /// A new secret for the caller's authenticator app, after the password is given again.
    @Sendable func offerSecondFactor(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(PasswordOnly.self, from: request, context: context)
        return try JSONBody.response(try await accounts.offerSecondFactor(to: context.user, password: body.password))
    }

    struct Code: Decodable {
        let code: String
    }

    struct RecoveryCodeSet: Encodable {
        /// Each works once in place of the app's code; shown this once.
        let recoveryCodes: [String]
    }

    /// The offered secret in use, once a code from the app confirms it; answers the recovery codes.
    @Sendable func confirmSecondFactor(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(Code.self, from: request, context: context)
        let codes = try await accounts.confirmSecondFactor(of: context.user, code: body.code)
        context.logger.notice("second factor set up", metadata: ["user": .string(context.user.id)])
        return try JSONBody.response(RecoveryCodeSet(recoveryCodes: codes))
    }

    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    /// The caller's own password: every session of the account ends, this one too.
    @Sendable func changePassword(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(PasswordChange.self, from: request, context: context)
        try await accounts.changePassword(of: context.user, current: body.currentPassword, new: body.newPassword)
        context.logger.notice("password changed", metadata: ["user": .string(context.user.id)])
        var response = Response(status: .noContent)
        response.setCookie(cookies.expired(secure: cookies.secure(request)))
        return response
    }

    struct Ended: Encodable {
        let ended: Int
    }

    /// Ends the caller's other sessions (signed in elsewhere), keeping this one.
    @Sendable func endOthers(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try JSONBody.response(Ended(ended: try await accounts.endOtherSessions(of: context.identity)))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await accounts.signOut(context.identity)
        var response = Response(status: .noContent)
        response.setCookie(cookies.expired(secure: cookies.secure(request)))
        return response
    }
}

/// The session cookie's name and attributes, in one place.
struct SessionCookies: Sendable {
    /// Mark cookies Secure even when the request does not say it came over TLS.
    let alwaysSecure: Bool

    func secure(_ request: Request) -> Bool {
        alwaysSecure || request.isSecure
    }

    /// `__Host-mandate_session` over TLS, `mandate_session` over plain HTTP (a browser refuses a
    /// `__Host-` cookie without `Secure`).
    func name(secure: Bool) -> String {
        secure ? AuthenticationMiddleware.hostSessionCookie : AuthenticationMiddleware.sessionCookie
    }

    /// The session cookie a request carries: the `__Host-` one, or, unless every answer is
    /// secure, the plain one.
    func sessionValue(in request: Request) -> String? {
        if let value = request.cookies[AuthenticationMiddleware.hostSessionCookie]?.value { return value }
        return alwaysSecure ? nil : request.cookies[AuthenticationMiddleware.sessionCookie]?.value
    }

    func session(_ value: String, secure: Bool) -> Cookie {
        Cookie(
            name: name(secure: secure), value: value, maxAge: Int(CredentialLifetimes.sessionAbsolute), path: "/",
            secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(secure: Bool) -> Cookie {
        Cookie(
            name: name(secure: secure), value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
