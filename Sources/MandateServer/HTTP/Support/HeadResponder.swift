import HTTPTypes
import Hummingbird

/// Answers HEAD as the same GET would be answered, without the body (RFC 9110, section 9.3.2):
/// the same status and fields, the length included. Routes are registered for GET only and the
/// router finds a route by method before any middleware runs, so this wraps the router itself:
/// everything inside sees a GET.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context

    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.headers[.contentLength]
        response.body = ResponseBody()
        response.headers[.contentLength] = length
        return response
    }
}
