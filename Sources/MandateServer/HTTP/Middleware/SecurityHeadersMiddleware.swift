import HTTPTypes
import Hummingbird

/// Adds the security headers every response carries: a CSP with no inline script (and for
/// non-page responses, evidence files among them, no content at all and a sandbox), nosniff, frame-ancestors 'none', a referrer policy,
/// and HSTS when served over TLS, or always when the server is told TLS is terminated in front
/// of it (`--secure-cookies`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Every answer carries HSTS (`--secure-cookies`).
    var alwaysSecure = false

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    // Built once: every response carries them, so validating and joining them per request adds up.
    static let fields: [HTTPField] = [
        HTTPField(name: .contentSecurityPolicy, value: contentSecurityPolicy),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: .xFrameOptions, value: "DENY"),
        HTTPField(name: .referrerPolicy, value: "strict-origin-when-cross-origin"),
        HTTPField(name: .crossOriginOpenerPolicy, value: "same-origin"),
        HTTPField(name: .permissionsPolicy, value: "camera=(), microphone=(), geolocation=()"),
    ]
    /// JSON and other non-page responses render nothing, so they get the strictest, shortest
    /// policy (as OWASP recommends for REST APIs).
    static let apiFields: [HTTPField] = [
        HTTPField(name: .contentSecurityPolicy, value: "default-src 'none'; frame-ancestors 'none'; sandbox"),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: .referrerPolicy, value: "strict-origin-when-cross-origin"),
    ]
    static let hsts = HTTPField(name: .strictTransportSecurity, value: "max-age=31536000; includeSubDomains")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response = try await next(request, context)
        let isPage = response.headers[.contentType]?.hasPrefix("text/html") ?? false
        let fields = isPage ? Self.fields : Self.apiFields
        if response.headers[.referrerPolicy] == nil {
            response.headers.append(contentsOf: fields)
        } else {
            // A page that must send no referrer at all (a reset link's) keeps its stricter policy.
            response.headers.append(contentsOf: fields.filter { $0.name != .referrerPolicy })
        }
        if alwaysSecure || request.isSecure { response.headers.append(Self.hsts) }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xRequestID = Self("X-Request-Id")!
    static let xCSRFToken = Self("X-CSRF-Token")!
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}

extension Request {
    /// The client's address: the one a trusted proxy forwards for, else the connection's peer.
    /// (`ForwardedHeaders` keeps `X-Forwarded-For` only from trusted proxies, as one address.)
    func clientAddress(_ context: AppRequestContext) -> String {
        headers[.xForwardedFor] ?? context.clientAddress
    }

    /// True when the request reached the proxy in front over TLS (`X-Forwarded-Proto: https`,
    /// kept by `ForwardedHeaders` only from trusted proxies).
    var isSecure: Bool {
        headers[.xForwardedProto]?.lowercased() == "https"
    }
}
