import HTTPTypes
import Hummingbird
import Synchronization

/// Holds a request to a path of the API to what the OpenAPI document says, before anything else
/// looks at it:
/// - a method the path does not take is answered 405 with the `Allow` header (RFC 9110,
///   15.5.6): a TRACE or a DELETE of a read-only resource is neither a missing resource (404)
///   nor a forgery (403);
/// - a query parameter given twice is refused (400), as every parameter the document names is a
///   single value: a handler reading the first would act on what the caller did not mean.
struct APIOperationsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let operations: KnownOperations

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let allowed = operations.methods(for: request.uri.path) else { return try await next(request, context) }
        guard allowed.contains(request.method) else {
            var error = AppError(
                .methodNotAllowed, "method-not-allowed", "Method not allowed",
                detail: "\(request.uri.path) takes \(Self.allowHeader(allowed))")
            error.allow = Self.allowHeader(allowed)
            throw error
        }
        var seen = Set<Substring>()
        for (name, _) in request.uri.queryParameters where !seen.insert(name).inserted {
            throw AppError.badRequest(field: String(name), "given more than once; give it once")
        }
        return try await next(request, context)
    }

    /// The methods in the order RFC 9110 lists them.
    static func allowHeader(_ methods: Set<HTTPRequest.Method>) -> String {
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter { methods.contains($0) }.map(\.rawValue).joined(separator: ", ")
    }
}

/// The API's operations by path template, filled while the router is built and read by every
/// request after: which methods a concrete path takes.
final class KnownOperations: Sendable {
    /// Templates by their number of segments, so that a request compares only those of its length.
    private let templates = Mutex<[Int: [[Substring]: Set<HTTPRequest.Method>]]>([:])

    func add(_ operations: [APIOperation]) {
        templates.withLock { table in
            for operation in operations {
                let template = Self.segments(operation.path)
                var methods = table[template.count, default: [:]][template, default: []]
                methods.insert(operation.method)
                if operation.method == .get { methods.insert(.head) }
                table[template.count, default: [:]][template] = methods
            }
        }
    }

    /// The methods every template matching `path` takes together, or nil if none matches (a page
    /// or an unknown path, left to the router).
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = Self.segments(path)
        return templates.withLock { table in
            var found: Set<HTTPRequest.Method>?
            for (template, methods) in table[parts.count] ?? [:] where Self.matches(template, parts) {
                found = (found ?? []).union(methods)
            }
            return found
        }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// A `{name}` segment of a template stands for any one segment (the counts are equal).
    private static func matches(_ template: [Substring], _ parts: [Substring]) -> Bool {
        for (expected, part) in zip(template, parts) where !(expected.first == "{" && expected.last == "}") {
            if expected != part { return false }
        }
        return true
    }
}
