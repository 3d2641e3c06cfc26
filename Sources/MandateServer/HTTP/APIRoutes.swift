import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// One operation of the JSON API, as registered: what the OpenAPI document must describe.
public struct APIOperation: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// The path in OpenAPI form, e.g. `/api/v1/units/{code}`.
    public let path: String

    public var description: String { "\(method.rawValue) \(path)" }
}

/// Registers API handlers and records each operation, so that tests can hold the OpenAPI
/// document to exactly the operations the server has.
struct APIRoutes {
    let router: Router<AppRequestContext>
    let publicReads: PublicReads
    private(set) var operations: [APIOperation] = []

    init(router: Router<AppRequestContext>, publicReads: PublicReads) {
        self.router = router
        self.publicReads = publicReads
    }

    /// A read that answers the same to everyone, signed in or not: its handler gets no identity,
    /// and the authentication middleware does not look up the caller's session for it.
    mutating func publicRead(
        _ path: String, use handler: @escaping @Sendable (Request, PublicContext) async throws -> Response
    ) {
        publicReads.add(RouterPath(path))
        on(.get, path) { request, context in try await handler(request, PublicContext(context: context)) }
    }

    /// A handler anyone may call.
    mutating func on(
        _ method: HTTPRequest.Method, _ path: String,
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        operations.append(APIOperation(method: method, path: path))
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// A handler anyone may call at `routerPath` (e.g. a catch-all `/**`), described in the
    /// OpenAPI document as `documented`: a template there names one segment per parameter, so a
    /// path of several segments is described by the forms it takes.
    mutating func on(
        _ method: HTTPRequest.Method, routerPath: String, documentedAs documented: [String],
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        operations.append(contentsOf: documented.map { APIOperation(method: method, path: $0) })
        router.on(RouterPath(routerPath), method: method, use: handler)
    }

    /// A handler for signed-in users only; it receives the user.
    mutating func authenticated(
        _ method: HTTPRequest.Method, _ path: String,
        use handler: @escaping @Sendable (Request, AuthenticatedContext) async throws -> Response
    ) {
        on(method, path) { request, context in
            try await handler(request, try AuthenticatedContext(context: context))
        }
    }
}

/// The routes registered with `APIRoutes.publicRead`, by their path pattern (as the router names
/// a request's endpoint). Filled while the router is built, read by every request after.
final class PublicReads: Sendable {
    private let paths = Mutex<Set<String>>([])

    func add(_ path: RouterPath) {
        _ = paths.withLock { $0.insert(path.description) }
    }

    /// Whether the request is a GET or HEAD of such a route.
    func contains(_ request: Request, endpoint: String?) -> Bool {
        guard request.method == .get || request.method == .head, let endpoint else { return false }
        return paths.withLock { $0.contains(endpoint) }
    }
}

/// JSON responses.
enum JSONBody {
    static func response(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, cache: String = "no-store"
    ) throws
        -> Response
    {
        let data = try JSONEncoder.api.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = cache
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A body already encoded as JSON.
    static func response(encoded body: ByteBuffer, status: HTTPResponse.Status = .ok, cache: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = cache
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// Decodes a JSON request body; anything but `application/json` is refused.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext
    ) async throws
        -> T
    {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the body as application/json")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch let error as DecodingError {
            throw AppError.decoding(error)
        }
    }
}
