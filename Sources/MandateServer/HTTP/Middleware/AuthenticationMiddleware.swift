import Foundation
import HTTPTypes
import Hummingbird
import MandateCore

/// Finds who is calling: a bearer API token, or a session cookie (except for a public read,
/// whose answer does not depend on it: `APIRoutes.publicRead`). Then guards every unsafe
/// request against cross-site forgery:
/// - with a session, the request must carry the session's CSRF token (`X-CSRF-Token` or `_csrf`);
/// - without one, every unsafe request but a JSON one must carry the `mandate_csrf` cookie's
///   value (double submit, for the sign-in form): in the `_csrf` field of a form, or in
///   `X-CSRF-Token`; whatever its content type (a `text/plain` post, which a browser sends
///   across sites without asking, is refused). JSON posts need no token, as browsers cannot
///   send them across sites without CORS, which the server never grants.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService
    /// Reads that answer the same to everyone: a session cookie sent with one is not looked up.
    let publicReads: PublicReads
    /// Which session cookie names it believes.
    let cookies: SessionCookies
    static let sessionCookie = "mandate_session"
    /// The session cookie's name over TLS: a browser takes it only from a secure origin, for the
    /// whole host and no other (Secure, Path=/, no Domain), so a sibling subdomain or a plain-HTTP
    /// page cannot set or shadow it (ASVS 5, V3.3.1).
    static let hostSessionCookie = "__Host-mandate_session"
    static let loginCSRFCookie = "mandate_csrf"
    /// The largest multipart form: one evidence file and its fields.
    static let maximumUpload = 20 * 1024 * 1024 + 64 * 1024

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        var request = request
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                let identity = try await accounts.identity(bearerToken: String(parts[1]))
            else {
                throw AppError(
                    .unauthorized, "invalid-token", "Invalid token", detail: "the API token is unknown or revoked")
            }
            context.identity = identity
        } else if let cookie = cookies.sessionValue(in: request), !cookie.isEmpty,
            !publicReads.contains(request, endpoint: context.endpointPath)
        {
            context.identity = try await accounts.identity(sessionCookie: cookie)
        }
        if request.method.isUnsafe {
            try await checkCSRF(&request, identity: context.identity)
        }
        return try await next(request, context)
    }

    private func checkCSRF(_ request: inout Request, identity: Identity?) async throws {
        if case .token = identity?.via { return }
        let isForm = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
        let expected: String?
        if let identity {
            expected = identity.csrfToken
        } else if Self.isJSON(request.headers[.contentType]) {
            return
        } else {
            expected = request.cookies[Self.loginCSRFCookie]?.value
        }
        var presented = request.headers[.xCSRFToken]
        if presented == nil, isForm {
            let body = try await request.collectBody(upTo: 64 * 1024)
            presented = FormFields(body: body)["_csrf"]
        } else if presented == nil, identity != nil,
            let boundary = MultipartForm.boundary(of: request.headers[.contentType])
        {
            // A file upload form: the token is one of its fields.
            let body = try await request.collectBody(upTo: Self.maximumUpload)
            presented = MultipartForm(body: body, boundary: boundary)?["_csrf"]
        }
        guard let expected, !expected.isEmpty, let presented, ConstantTime.equal(expected, presented) else {
            throw AppError.forbidden(
                "the form or request is missing its CSRF token, or it is out of date; reload the page and try again")
        }
    }
}

extension AuthenticationMiddleware {
    /// A JSON media type (`application/json`, `application/problem+json` …), which a browser
    /// sends across sites only after a CORS preflight.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media =
            contentType.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
            .lowercased() ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }
}

extension HTTPRequest.Method {
    var isUnsafe: Bool {
        self != .get && self != .head && self != .options
    }
}

/// The token a form read without signing in carries (the sign-in form, a password reset, a
/// citizen's rating): double submit, the cookie and the form's `_csrf` field holding the same
/// random value, which a page on another site can neither read nor set.
struct FormToken {
    let value: String
    let signedIn: Bool

    /// The session's token for a signed-in reader; otherwise the cookie's, or a new one.
    init(_ request: Request, _ context: AppRequestContext) {
        signedIn = context.identity != nil
        value =
            context.identity?.csrfToken ?? request.cookies[AuthenticationMiddleware.loginCSRFCookie]?.value
            ?? Secrets.random()
    }

    /// Gives a reader who is not signed in the cookie, for the forms under `path` only.
    func set(on response: inout Response, path: String, secure: Bool) {
        guard !signedIn else { return }
        response.setCookie(
            Cookie(
                name: AuthenticationMiddleware.loginCSRFCookie, value: value, maxAge: 3600, path: path, secure: secure,
                httpOnly: true, sameSite: .strict))
    }
}
