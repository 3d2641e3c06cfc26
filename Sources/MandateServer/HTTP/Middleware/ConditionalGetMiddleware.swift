import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// Gives every public (anonymous) GET response an ETag, a digest of its body, and answers a
/// request whose `If-None-Match` names it with 304 Not Modified and no body: a client on a slow
/// connection that revisits a page or re-downloads open data gets only the headers when nothing
/// changed.
///
/// Streams (server-sent events, bodies of unknown length) and signed-in responses (private,
/// never stored) pass through untouched; a response that has an ETag already keeps it.
struct ConditionalGetMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Bodies larger than this are passed through rather than held to be hashed.
    static let maximumBody = 8 << 20

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard request.method == .get, context.identity == nil, response.status == .ok,
            let length = response.body.contentLength, length <= Self.maximumBody
        else { return response }
        let etag: String
        if let existing = response.headers[.eTag] {
            etag = existing
        } else {
            etag = Self.etag(of: try await response.collectBody())
            response.headers[.eTag] = etag
        }
        if let header = request.headers[.ifNoneMatch], Self.matches(header, etag) {
            return Response(status: .notModified, headers: Self.notModifiedFields(of: response.headers))
        }
        return response
    }

    /// The fields of a 200 answer that its 304 carries (RFC 9110, section 15.4.5), with the
    /// `Server` header and the edge's mark where present.
    static func notModifiedFields(of fields: HTTPFields) -> HTTPFields {
        var kept = HTTPFields()
        for name in [HTTPField.Name.eTag, .cacheControl, .vary, .contentLanguage, .server, .edgeKeep] {
            if let value = fields[name] { kept[name] = value }
        }
        return kept
    }

    /// A strong ETag: the first 16 bytes of the body's SHA-256, in hex.
    static func etag(of body: ByteBuffer) -> String {
        let digest = SHA256.hash(data: body.readableBytesView)
        return "\"" + digest.prefix(16).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
            + "\""
    }

    /// Whether an `If-None-Match` value names `etag` (or is `*`); weak tags compare by their value.
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == "*" || tag == etag
        }
    }
}
