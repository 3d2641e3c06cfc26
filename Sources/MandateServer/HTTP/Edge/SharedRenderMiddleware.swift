import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Produces a public answer once for everyone who asks for it at the same moment.
///
/// When a fact is published, every open page fetches itself again, all at once, just after the
/// commit emptied the edge. Without this, each of those requests would render the same page.
/// With it, the first request for an answer (the same key as the edge's: an anonymous GET) renders
/// it, and the requests that arrive while it does wait and get a copy. A copy is shared only if
/// the edge could keep it (`EdgeCache.lifetime(of:)`), and only with the requests that came
/// before any commit that may have changed it (what it declares it is made from, as the edge
/// reads it). Those that came after such a commit wait for the next render, which one of them
/// starts, so that they see the commit; while commits keep changing a page, it is still rendered
/// once at a time, not once per request.
///
/// It sits inside the request-id, logging and metrics middleware, so that every request, shared
/// or not, keeps its own id, log line and count.
struct SharedRenderMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let renders: SharedRenders
    /// Whose rule decides what may be shared: what it could keep.
    let edge: EdgeCache

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let key = EdgeCache.key(for: request.head) else { return try await next(request, context) }
        switch await renders.turn(for: key, generation: edge.generation) {
        case .follow(let shared?):
            return shared.response(to: request)
        case .follow(nil):
            return try await next(request, context)
        case .lead:
            // What the render reads is at least as new as this.
            let start = edge.generation
            do {
                var response = try await next(request, context)
                guard edge.lifetime(of: response) != nil, let etag = response.headers[.eTag] else {
                    // A 200 of a kind that cannot be shared never will be; a 304, an error or an
                    // answer at the end of its life (`Age` reached `max-age`) may be followed by
                    // one that can.
                    renders.finish(key, with: nil, unshareable: !edge.keepsAnswers(like: response))
                    return response
                }
                let shared = SharedRenders.Answer(
                    fields: response.headers, body: try await response.collectBody(), etag: etag)
                let reads = response.reads
                // A waiter that came after a commit which may have changed the answer must see it.
                renders.finish(key, with: shared) { joined in edge.changed(reads, after: start, upTo: joined) }
                return response
            } catch {
                renders.finish(key, with: nil)
                throw error
            }
        }
    }
}

/// The answers being rendered, and who waits for each.
final class SharedRenders: Sendable {
    enum Turn: Sendable {
        /// Render it, then call `finish`: the first request for it, or the first of those that
        /// came too late for the last render.
        case lead
        /// The leader's answer, or nil if it cannot be shared.
        case follow(Answer?)
    }

    /// An answer fit to share.
    struct Answer: Sendable {
        let fields: HTTPFields
        let body: ByteBuffer
        let etag: String

        /// A copy for another request: 304 if its `If-None-Match` names the ETag.
        func response(to request: Request) -> Response {
            if let match = request.headers[.ifNoneMatch], ConditionalGetMiddleware.matches(match, etag) {
                return Response(status: .notModified, headers: ConditionalGetMiddleware.notModifiedFields(of: fields))
            }
            return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: body))
        }
    }

    private struct State {
        /// Who waits for each answer, with the edge's generation when each asked.
        var waiting: [EdgeCache.Key: [(CheckedContinuation<Turn, Never>, generation: Int)]] = [:]
        /// Keys whose last answer could not be shared (an event stream, a private or uncached
        /// answer): their requests do not wait for one another.
        var unshareable: Set<EdgeCache.Key> = []
    }
    private let state = Mutex(State())
    private static let unshareableCapacity = 4096

    /// Whether to render the answer for `key` or wait for the one being rendered; `generation` is
    /// the edge's as the request asks.
    func turn(for key: EdgeCache.Key, generation: Int = 0) async -> Turn {
        await withCheckedContinuation { continuation in
            let turn: Turn? = state.withLock { state in
                if state.unshareable.contains(key) { return .follow(nil) }
                if state.waiting[key] != nil {
                    state.waiting[key]!.append((continuation, generation))
                    return nil
                }
                state.waiting[key] = []
                return .lead
            }
            if let turn { continuation.resume(returning: turn) }
        }
    }

    /// The leader's answer for `key` (nil: none to share, and each waiter renders its own), for
    /// everyone waiting, but those for whom it is `stale` (given the edge's generation when each
    /// asked): they wait for a render of their own, which the first of them starts (or join one
    /// already under way, which began after they asked). With `unshareable`, later requests for
    /// `key` no longer wait.
    func finish(
        _ key: EdgeCache.Key, with answer: Answer?, unshareable: Bool = false, stale: (Int) -> Bool = { _ in false }
    ) {
        let waiters = state.withLock { state in
            if unshareable {
                if state.unshareable.count >= Self.unshareableCapacity { state.unshareable.removeAll() }
                state.unshareable.insert(key)
            }
            return state.waiting.removeValue(forKey: key) ?? []
        }
        var late: [(CheckedContinuation<Turn, Never>, generation: Int)] = []
        for (waiter, generation) in waiters {
            if answer != nil, stale(generation) {
                late.append((waiter, generation))
            } else {
                waiter.resume(returning: .follow(answer))
            }
        }
        guard !late.isEmpty else { return }
        let leader = state.withLock { state -> CheckedContinuation<Turn, Never>? in
            if state.waiting[key] != nil {
                state.waiting[key]! += late
                return nil
            }
            state.waiting[key] = Array(late.dropFirst())
            return late[0].0
        }
        leader?.resume(returning: .lead)
    }

    /// How many requests wait for an answer being rendered.
    var waitingCount: Int {
        state.withLock { $0.waiting.values.reduce(0) { $0 + $1.count } }
    }
}
