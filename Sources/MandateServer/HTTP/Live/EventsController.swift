import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/api/v1/events`: server-sent events of every published fact, with ids for resuming.
struct EventsController {
    let events: LiveEvents

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/events", use: stream)
    }

    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Either names the last event seen (the header, sent by a browser reconnecting, wins);
        // each must be an event's id if given.
        var lastId: UInt64?
        for (field, text) in [
            ("Last-Event-ID", request.headers[.lastEventID]),
            ("lastEventId", request.uri.queryParameters["lastEventId"].map(String.init)),
        ] {
            guard let text else { continue }
            guard let id = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw AppError.badRequest(field: field, "expected the id of an event: a whole number from 0")
            }
            lastId = lastId ?? id
        }
        let subscription = try await events.subscribe(after: lastId)
        let events = self.events
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Proxies must pass events on at once.
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let body = ResponseBody { writer in
            var opening = "retry: 2000\n\n"
            if subscription.tooFarBehind { opening += "event: reload\ndata: {}\n\n" }
            opening += subscription.backlog.map(\.text).joined()
            do {
                try await writer.write(ByteBuffer(string: opening))
                // A shutting-down server ends the stream, so that it does not wait for clients.
                try await withGracefulShutdownHandler {
                    for await event in subscription.stream {
                        try await writer.write(ByteBuffer(string: event.text))
                    }
                } onGracefulShutdown: {
                    subscription.end.finish()
                }
                try await writer.finish(nil)
            } catch {
                await events.unsubscribe(subscription.id)
                throw error
            }
            await events.unsubscribe(subscription.id)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
