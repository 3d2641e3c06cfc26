import HTTPTypes
import Hummingbird
import NIOCore

/// Offers the edge every response the router produces, and keeps the ones `EdgeCache` allows.
/// It is the outermost middleware, so what it keeps is the answer as the client gets it: the
/// security headers, the ETag and the cache headers included.
struct EdgeCacheMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let edge: EdgeCache
    /// The `Server` header the application adds after the router.
    let serverName: String?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let key = EdgeCache.key(for: request.head)
        let generation = edge.generation
        var response = try await next(request, context)
        let keep = response.headers[.edgeKeep] != nil
        response.headers[.edgeKeep] = nil
        guard let key, context.identity == nil, response.status == .ok, let etag = response.headers[.eTag],
            response.headers[.setCookie] == nil, response.headers[.vary] == nil,
            let lifetime = keep ? edge.keptAnswerLifetime : edge.lifetime(of: response.headers),
            lifetime > .zero, let length = response.body.contentLength, length <= EdgeCache.maximumBody
        else { return response }
        let collector = BufferCollector()
        try await response.body.write(collector)
        let body = collector.box.buffer
        response.body = ResponseBody(byteBuffer: body)

        var fields = response.headers
        fields[.xRequestID] = nil
        fields[.date] = nil
        fields[.contentLength] = String(body.readableBytes)
        if let serverName { fields[.server] = serverName }
        var notModified = HTTPFields()
        for name in [HTTPField.Name.eTag, .cacheControl, .contentLanguage, .server] {
            if let value = fields[name] { notModified[name] = value }
        }
        // As the router's own 304 carries them: the policy for responses without a body.
        notModified.append(contentsOf: SecurityHeadersMiddleware.apiFields)
        if request.isSecure { notModified.append(SecurityHeadersMiddleware.hsts) }
        let entry = EdgeCache.Entry(
            fields: fields, notModifiedFields: notModified, body: body, etag: etag,
            route: context.endpointPath ?? "NotFound", expires: .now + lifetime)
        edge.store(entry, for: key, generation: generation)
        return response
    }
}

/// Collects a response body as it is written.
struct BufferCollector: ResponseBodyWriter {
    final class Box {
        var buffer = ByteBuffer()
    }
    let box = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        box.buffer.writeBuffer(&buffer)
    }

    mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { try await write(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
