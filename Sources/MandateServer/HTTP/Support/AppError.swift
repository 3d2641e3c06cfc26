import HTTPTypes
import Hummingbird
import MandateCore

/// An error a request ends with, rendered once: as RFC 9457 problem details for the API, as an
/// error page for HTML.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A short, stable slug; the problem `type` is `/problems/<slug>`.
    public var slug: String
    public var title: String
    public var detail: String?
    public var errors: [RowError]
    /// Seconds the client should wait before trying again (`Retry-After`), for 429 and 503.
    public var retryAfter: Int?
    /// How many problems there were, when `errors` holds only the first of them.
    public var errorCount: Int?
    /// The methods the resource takes (`Allow`), for 405.
    public var allow: String?

    public init(
        _ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String? = nil, errors: [RowError] = []
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    public static func notFound(_ what: String) -> AppError {
        AppError(.notFound, "not-found", "Not found", detail: what)
    }

    /// Something a well-formed request names (by `field`) does not exist.
    public static func notFound(field: String, _ reason: String) -> AppError {
        AppError(
            .notFound, "not-found", "Not found", detail: "\(field): \(reason)",
            errors: [RowError(line: nil, column: field, reason: reason)])
    }

    public static func badRequest(field: String, _ reason: String) -> AppError {
        AppError(
            .badRequest, "invalid-input", "Invalid input", detail: "\(field): \(reason)",
            errors: [RowError(line: nil, column: field, reason: reason)])
    }

    /// The most problems one answer lists: a file with a million bad rows is answered with the
    /// first of them and their count, not with a body larger than the file.
    public static let maximumErrors = 1000

    public static func invalid(_ failure: ValidationFailure) -> AppError {
        let count = failure.errors.count
        var error = AppError(
            .unprocessableContent, "invalid-input", "Invalid input", detail: failure.errors.first?.description,
            errors: Array(failure.errors.prefix(maximumErrors)))
        if count > maximumErrors {
            error.errorCount = count
            error.detail =
                (error.detail ?? "")
                + " (\(count) problems; the first \(maximumErrors) are listed)"
        }
        return error
    }

    public static let unauthenticated = AppError(
        .unauthorized, "unauthenticated", "Sign-in required", detail: "sign in, or send a valid API token")

    public static func forbidden(_ reason: String) -> AppError {
        AppError(.forbidden, "forbidden", "Forbidden", detail: reason)
    }

    public static let noRoute = AppError(.notFound, "no-such-endpoint", "No such endpoint")
}

/// The JSON body of an RFC 9457 problem.
struct ProblemDetails: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    /// Every invalid field or row: `{line?, field?, reason}`, or the first `AppError.maximumErrors`.
    var errors: [FieldProblem]?
    /// How many problems there were, when `errors` lists only the first of them.
    var errorCount: Int?
    var requestId: String?

    struct FieldProblem: Codable, Sendable {
        var line: Int?
        var field: String?
        var reason: String
    }

    init(_ error: AppError, instance: String?, requestId: String?) {
        self.type = "/problems/\(error.slug)"
        self.title = error.title
        self.status = Int(error.status.code)
        self.detail = error.detail
        self.instance = instance
        self.errors =
            error.errors.isEmpty
            ? nil : error.errors.map { FieldProblem(line: $0.line, field: $0.column, reason: $0.reason) }
        self.errorCount = error.errorCount
        self.requestId = requestId
    }
}
