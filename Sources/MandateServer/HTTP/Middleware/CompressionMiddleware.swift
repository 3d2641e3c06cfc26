import HTTPTypes
import Hummingbird
import MandateCore
import NIOCore

/// Sends the router's answers compressed where `ContentCoding` says so: a body of known length up
/// to 8 MiB is compressed whole (its length stated), a longer or streamed one as it is written. The
/// outermost middleware, so that everything inside sees answers as they are; the edge keeps its
/// answers compressed already (`EdgeCacheMiddleware`) and this leaves those alone.
///
/// A client that holds a compressed answer revalidates with its weak ETag; the 304 names the tag
/// in the form the client holds it.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if response.status == .notModified {
            Self.nameHeldTag(&response.headers, ifNoneMatch: request.headers[.ifNoneMatch])
            return response
        }
        guard request.method != .head, response.headers[.contentEncoding] == nil,
            Self.compressible(response.status),
            ContentCoding.compresses(mediaType: response.headers[.contentType], length: response.body.contentLength)
        else { return response }
        GzipStream.markVaries(&response.headers)
        guard ContentCoding.chosen(acceptEncoding: Self.acceptEncoding(request.headers)) == .gzip else {
            return response
        }
        if let length = response.body.contentLength, length <= Self.wholeBody {
            let compressed = try GzipStream.compress(try await response.collectBody())
            GzipStream.markCompressed(&response.headers, length: compressed.readableBytes)
            response.body = ResponseBody(byteBuffer: compressed)
        } else {
            let body = response.body
            response.body = ResponseBody { writer in
                try await body.write(GzipBodyWriter(parent: writer, stream: try GzipStream()))
            }
            GzipStream.markCompressed(&response.headers, length: nil)
        }
        return response
    }

    /// Bodies up to this length are compressed whole, their length stated; longer ones (a large
    /// export) as they are written, so that no second copy of them is held.
    static let wholeBody = 8 << 20

    /// Every `Accept-Encoding` field of a request, as one list.
    static func acceptEncoding(_ fields: HTTPFields) -> String? {
        let values = fields[values: .acceptEncoding]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// Answers with a body to compress: not partial content, not informational.
    private static func compressible(_ status: HTTPResponse.Status) -> Bool {
        status.code >= 200 && status != .noContent && status != .partialContent
    }

    /// A 304's ETag as the client named it: weak when it revalidates a compressed answer.
    static func nameHeldTag(_ fields: inout HTTPFields, ifNoneMatch: String?) {
        guard let etag = fields[.eTag], !etag.hasPrefix("W/"), let ifNoneMatch else { return }
        let held = ifNoneMatch.split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces) == "W/" + etag
        }
        if held {
            fields[.eTag] = "W/" + etag
            GzipStream.markVaries(&fields)
        }
    }
}
