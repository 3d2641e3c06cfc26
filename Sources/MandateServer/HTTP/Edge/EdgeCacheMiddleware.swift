import HTTPTypes
import Hummingbird
import MandateCore
import NIOCore

/// Offers the edge every response the router produces, and keeps the ones `EdgeCache` allows,
/// with what each declares it is made from. It is the outermost middleware, so what it keeps is
/// the answer as the client gets it: the security headers, the ETag and the cache headers
/// included; and it removes the internal headers from every answer.
struct EdgeCacheMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let edge: EdgeCache
    /// The `Server` header the application adds after the router.
    let serverName: String?
    /// Every answer carries HSTS (`SecurityHeadersMiddleware.alwaysSecure`).
    var alwaysSecure = false

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let key = EdgeCache.key(for: request.head)
        let generation = edge.generation
        var response = try await next(request, context)
        let lifetime = edge.lifetime(of: response)
        let reads = response.headers[.edgeReads]
        response.headers[.edgeKeep] = nil
        response.headers[.edgeReads] = nil
        guard let key, context.identity == nil, let lifetime, let etag = response.headers[.eTag] else {
            return response
        }
        let body = try await response.collectBody()

        var fields = response.headers
        fields[.xRequestID] = nil
        fields[.date] = nil
        fields[.contentLength] = String(body.readableBytes)
        if let serverName { fields[.server] = serverName }
        let reading = reads.flatMap { ChangeTags(parsing: $0) } ?? .everything
        // An answer made across a commit that changed it is not kept; it is compressed only for a
        // client that asks, and then once for all the requests that share it.
        let kept = !edge.changed(reading, after: generation)
        let wanted =
            ContentCoding.chosen(acceptEncoding: CompressionMiddleware.acceptEncoding(request.headers)) == .gzip
        var gzip: EdgeCache.Variant?
        let compressible = ContentCoding.compresses(mediaType: fields[.contentType], length: body.readableBytes)
        if compressible { GzipStream.markVaries(&fields) }
        if compressible, kept || wanted {
            let compressed = try edge.compressed(body, etag: etag)
            var compressedFields = fields
            GzipStream.markCompressed(&compressedFields, length: compressed.readableBytes)
            gzip = variant(compressedFields, compressed, secure: request.isSecure)
        }
        let entry = EdgeCache.Entry(
            identity: variant(fields, body, secure: request.isSecure), gzip: gzip, etag: etag,
            route: context.endpointPath ?? "NotFound", expires: .now + lifetime, reads: reading)
        if kept { edge.store(entry, for: key, generation: generation) }
        // The client gets the form it accepts; `CompressionMiddleware` leaves a compressed one alone.
        if let gzip, wanted {
            for name in [HTTPField.Name.contentEncoding, .contentLength, .eTag, .vary] {
                response.headers[name] = gzip.head.headers.first(name: name.rawName)
            }
            response.body = ResponseBody(byteBuffer: gzip.body)
        }
        return response
    }

    /// A form of the answer with the head of its 304, which carries the policy for responses
    /// without a body, as the router's own 304 does.
    private func variant(_ fields: HTTPFields, _ body: ByteBuffer, secure: Bool) -> EdgeCache.Variant {
        var notModified = ConditionalGetMiddleware.notModifiedFields(of: fields)
        notModified.append(contentsOf: SecurityHeadersMiddleware.apiFields)
        if alwaysSecure || secure { notModified.append(SecurityHeadersMiddleware.hsts) }
        return EdgeCache.Variant(fields: fields, notModifiedFields: notModified, body: body)
    }
}

extension Response {
    /// The whole body, read once; the response keeps it, as one buffer, to send.
    mutating func collectBody() async throws -> ByteBuffer {
        let collector = BufferCollector()
        try await body.write(collector)
        body = ResponseBody(byteBuffer: collector.box.buffer)
        return collector.box.buffer
    }
}

/// Collects a response body as it is written.
private struct BufferCollector: ResponseBodyWriter {
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
