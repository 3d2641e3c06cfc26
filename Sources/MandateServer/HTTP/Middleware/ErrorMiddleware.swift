import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MandateCore
import NIOCore
import NIOHTTP1

/// Renders every error once: RFC 9457 problem details on the paths programs read, an error page elsewhere.
/// Unexpected errors are logged with the request id and shown without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let appError = Self.appError(for: error, context: context)
            if appError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if Self.isMachinePath(request.uri.path) {
                return Self.problem(appError, path: request.uri.path, requestId: context.id)
            }
            do {
                return try page(appError, request: request, context: context)
            } catch {
                context.logger.error("error page failed", metadata: ["error": "\(error)"])
                return Self.problem(appError, path: request.uri.path, requestId: context.id)
            }
        }
    }

    /// Paths that programs read (the API, health, metrics, the log's tiles and key) answer errors
    /// as problem details; every other path answers with an error page.
    static func isMachinePath(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path.hasPrefix("/log/") || path.hasPrefix("/.well-known/") || path == "/healthz"
            || path == "/metrics"
    }

    static func appError(for error: any Error, context: Context) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let failure as ValidationFailure:
            return AppError.invalid(failure)
        case let conflict as StateConflict:
            return AppError(
                .conflict, "conflict", "Conflict", detail: conflict.description,
                errors: [RowError(line: nil, column: conflict.field, reason: conflict.reason)])
        case let missing as RecordNotFound:
            return AppError.notFound(missing.what)
        case is HTTPParserError:
            // The body's framing could not be read: an unknown transfer coding, or a chunk size
            // that is not one. The client's fault, never the server's.
            return AppError(
                .badRequest, "malformed-body", "Malformed request body",
                detail: "the body could not be read as its Transfer-Encoding and Content-Length say")
        case is NIOTooManyBytesError:
            return AppError(
                .contentTooLarge, "too-large", "Request too large",
                detail: "the body is larger than this endpoint takes")
        case let error as HTTPError:
            if error.status == .notFound { return AppError.noRoute }
            if error.status == .contentTooLarge {
                return AppError(.contentTooLarge, "too-large", "Request too large", detail: error.body)
            }
            return AppError(error.status, "http-\(error.status.code)", error.status.reasonPhrase, detail: error.body)
        case let error as DecodingError:
            return AppError.decoding(error)
        default:
            return AppError(
                .internalServerError, "internal", "Internal error",
                detail: "the error was logged with request id \(context.id)")
        }
    }

    static func problem(_ error: AppError, path: String, requestId: String) -> Response {
        let body = ProblemDetails(error, instance: path, requestId: requestId)
        let data = (try? JSONEncoder.api.encode(body)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        if error.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"mandate\"" }
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        if let allow = error.allow { headers[.allow] = allow }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func page(_ error: AppError, request: Request, context: Context) throws -> Response {
        let language = context.language
        let heading: String
        switch error.status {
        case .notFound: heading = pages.text("error_notFound", language)
        case .forbidden: heading = pages.text("error_forbidden", language)
        default: heading = pages.text("error_title", language)
        }
        var response = try pages.render(
            .error,
            frame: .init(request: request, language: language, identity: context.identity, title: heading),
            model: ErrorPageModel(
                heading: heading, detail: error.detail ?? error.title, errors: error.errors.map(\.description),
                hasErrors: !error.errors.isEmpty),
            status: error.status)
        if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
        if let allow = error.allow { response.headers[.allow] = allow }
        return response
    }
}

/// An error page: what went wrong, and each problem named (field, row, reason).
struct ErrorPageModel: PageModel {
    let heading: String
    let detail: String
    let errors: [String]
    let hasErrors: Bool
}

extension AppError {
    /// A JSON body that does not fit the expected shape, named by its field path.
    static func decoding(_ error: DecodingError) -> AppError {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = (path(context).isEmpty ? "" : path(context) + ".") + key.stringValue
            return .badRequest(field: field, "is required")
        case .typeMismatch(let type, let context):
            return .badRequest(field: path(context), "expected \(type)")
        case .valueNotFound(let type, let context):
            return .badRequest(field: path(context), "expected \(type), found null")
        case .dataCorrupted(let context):
            return .badRequest(
                field: path(context).isEmpty ? "body" : path(context), "is not valid JSON of the expected shape")
        @unknown default:
            return .badRequest(field: "body", "could not be read")
        }
    }
}

extension JSONEncoder {
    /// The encoder of every API response: stable key order, no escaped slashes.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
