import HTTPTypes
import Hummingbird
import MandateCore
import NIOCore
import NIOHTTP1
import Synchronization

/// A shared cache in front of the router, as a caching proxy in front of the server would be,
/// but inside it: a public response that the router produced for an anonymous GET is kept for
/// as long as its own `Cache-Control: public, max-age` allows (less its `Age`), and the same
/// request is then answered from the connection's channel pipeline (`EdgeCacheHandler`) without
/// reaching the router, its middleware or a task.
///
/// What may be kept is decided by the response, never by a list of routes: only a 200 with an
/// ETag, a known length, no `Set-Cookie` and no `Vary`, produced for a request that carried no
/// credentials (no `Authorization`, no cookie but the language) and that no one signed in made,
/// and that either says `Cache-Control: public, max-age` or carries `Mandate-Edge-Keep` (public
/// pages, which tell browsers `no-cache`; the header never leaves the server).
///
/// Each kept answer holds what it was made from (`ChangeTags`, which the handler declares in the
/// internal `Mandate-Edge-Reads` header; an answer that declares nothing was made from
/// everything), and each commit drops the answers it may have changed (`CommitObservers`), so a
/// page never shows data older than the last write of this instance, while a commit that changed
/// nothing it shows leaves it kept. What the edge cannot see (another process on the same SQLite
/// file) is bounded by how long an answer is kept.
final class EdgeCache: Sendable {
    /// What a kept response depends on: the request target, the host named (a page may show
    /// its own address), the language cookie (pages are rendered in it) and whether the request
    /// came over TLS (HSTS, cookie flags).
    struct Key: Hashable, Sendable {
        let target: String
        let host: String?
        let language: String?
        let secure: Bool
    }

    /// One form of a kept answer: as it is, or compressed.
    struct Variant: Sendable {
        /// The 200 answer's head, without `Date` and `X-Request-Id`, which each answer gets anew;
        /// in NIO's own HTTP/1 form, which the handler writes without converting it.
        let head: HTTPResponseHead
        /// The head of a 304 answer.
        let notModifiedHead: HTTPResponseHead
        let body: ByteBuffer

        init(fields: HTTPFields, notModifiedFields: HTTPFields, body: ByteBuffer) {
            func head(_ status: HTTPResponseStatus, _ fields: HTTPFields) -> HTTPResponseHead {
                HTTPResponseHead(
                    version: .http1_1, status: status,
                    headers: HTTPHeaders(fields.map { ($0.name.rawName, $0.value) }))
            }
            self.head = head(.ok, fields)
            self.notModifiedHead = head(.notModified, notModifiedFields)
            self.body = body
        }
    }

    struct Entry: Sendable {
        /// The answer as it is.
        let identity: Variant
        /// The answer compressed with gzip, where `ContentCoding` compresses it.
        let gzip: Variant?
        /// The identity form's (strong) ETag; the compressed form's is its weak form.
        let etag: String
        /// The route pattern the router matched, for the request metrics.
        let route: String
        let expires: ContinuousClock.Instant
        /// What the answer was made from: a commit that changed any of it drops it.
        let reads: ChangeTags

        init(
            identity: Variant, gzip: Variant? = nil, etag: String, route: String,
            expires: ContinuousClock.Instant, reads: ChangeTags = .everything
        ) {
            self.identity = identity
            self.gzip = gzip
            self.etag = etag
            self.route = route
            self.expires = expires
            self.reads = reads
        }

        /// The form to send a client whose `Accept-Encoding` is given.
        func variant(acceptEncoding: String?) -> Variant {
            guard let gzip, ContentCoding.chosen(acceptEncoding: acceptEncoding) == .gzip else { return identity }
            return gzip
        }

        /// The bytes both forms hold.
        var size: Int {
            identity.body.readableBytes + (gzip?.body.readableBytes ?? 0)
        }
    }

    /// Bodies larger than this are not kept.
    static let maximumBody = 1 << 20
    /// However long a response says it may be kept, the edge keeps it at most this long.
    let maximumLifetime: Duration
    /// How long an answer marked `Mandate-Edge-Keep` is kept when no commit drops it first.
    let keptAnswerLifetime: Duration

    private struct Table {
        var entries: [Key: Entry] = [:]
        /// The bodies' bytes, held within `byteBudget`.
        var bytes = 0
        var journal = ChangeJournal()

        mutating func removeAll() {
            entries.removeAll()
            bytes = 0
        }

        mutating func remove(where affected: (Entry) -> Bool) {
            entries = entries.filter { !affected($0.value) }
            bytes = entries.values.reduce(0) { $0 + $1.size }
        }
    }
    private let table = Mutex(Table())
    /// The compressed forms of the answers last compressed, by their strong ETag (a digest of the
    /// body): the requests that share one render, and a render that gives the bytes of the last,
    /// compress it once between them.
    let compressedBodies = Mutex(CompressedBodies())
    /// At most this many answers…
    private let capacity: Int
    /// …and this many bytes of bodies: however many URLs a client makes up (a query string the
    /// route ignores, say), the edge's memory stays bounded.
    private let byteBudget: Int

    init(
        capacity: Int = 1024, byteBudget: Int = 64 << 20, maximumLifetime: Duration = .seconds(60),
        keptAnswerLifetime: Duration = .seconds(5)
    ) {
        self.capacity = capacity
        self.byteBudget = byteBudget
        self.maximumLifetime = maximumLifetime
        self.keptAnswerLifetime = keptAnswerLifetime
    }

    /// The key of a request the edge may answer, or nil when it must reach the router: not a
    /// GET, credentials, a cookie other than the language, or a client asking not to be served
    /// from a cache.
    static func key(for request: HTTPRequest) -> Key? {
        guard request.method == .get else { return nil }
        let fields = request.headerFields
        return key(
            target: request.path, host: request.authority, authorization: fields[.authorization],
            cacheControl: fields[.cacheControl],
            pragma: fields[.pragma], cookies: fields[values: .cookie], forwardedProto: fields[.xForwardedProto])
    }

    /// The same, for a request in NIO's own HTTP/1 form.
    static func key(for request: HTTPRequestHead) -> Key? {
        guard request.method == .GET else { return nil }
        let headers = request.headers
        return key(
            target: request.uri, host: headers.first(name: "host"), authorization: headers.first(name: "authorization"),
            cacheControl: headers.first(name: "cache-control"), pragma: headers.first(name: "pragma"),
            cookies: headers["cookie"], forwardedProto: headers.first(name: "x-forwarded-proto"))
    }

    private static func key(
        target: String?, host: String?, authorization: String?, cacheControl: String?, pragma: String?,
        cookies: [String], forwardedProto: String?
    ) -> Key? {
        guard let target, authorization == nil else { return nil }
        for value in [cacheControl, pragma] {
            if let value, value.lowercased().contains("no-cache") { return nil }
        }
        var language: String?
        for value in cookies {
            for pair in value.split(separator: ";") {
                let pair = pair.drop { $0 == " " }
                guard pair.hasPrefix("lang="), let chosen = Language(rawValue: String(pair.dropFirst(5))) else {
                    return nil
                }
                language = chosen.rawValue
            }
        }
        return Key(
            target: target, host: host, language: language, secure: forwardedProto?.lowercased() == "https")
    }

    /// How long an answer may be kept (or shared among requests at the same moment); nil when it
    /// may not: only a 200 with an ETag, a known length within `maximumBody`, no `Set-Cookie` and
    /// no `Vary`, that carries the edge's mark or says how long by its `Cache-Control`.
    func lifetime(of response: Response) -> Duration? {
        let fields = response.headers
        guard response.status == .ok, fields[.eTag] != nil, fields[.setCookie] == nil, fields[.vary] == nil,
            let length = response.body.contentLength, length <= Self.maximumBody
        else { return nil }
        return fields[.edgeKeep] != nil ? keptAnswerLifetime : lifetime(of: fields)
    }

    /// Whether answers like `response` may be kept at all, whatever the age of this one: an answer
    /// that a cache behind the edge kept until its last second (`Age` equal to `max-age`) may not be
    /// kept itself, but the next one may.
    func keepsAnswers(like response: Response) -> Bool {
        var fields = response.headers
        fields[.age] = nil
        return lifetime(of: Response(status: response.status, headers: fields, body: response.body)) != nil
    }

    /// How long a response may be kept, from its `Cache-Control` and `Age`; nil when it may not.
    func lifetime(of fields: HTTPFields) -> Duration? {
        guard let control = fields[.cacheControl]?.lowercased() else { return nil }
        var isPublic = false
        var maxAge: Int?
        for directive in control.split(separator: ",") {
            let directive = directive.trimmingCharacters(in: .whitespaces)
            switch directive {
            case "public": isPublic = true
            case "private", "no-store", "no-cache": return nil
            default:
                if directive.hasPrefix("max-age=") { maxAge = Int(directive.dropFirst(8)) }
            }
        }
        guard isPublic, let maxAge else { return nil }
        let age = fields[.age].flatMap { Int($0) } ?? 0
        guard maxAge > age else { return nil }
        return min(.seconds(maxAge - age), maximumLifetime)
    }

    /// A counter that every public change moves on: a response produced across one that may
    /// have changed it is not kept.
    var generation: Int {
        table.withLock { $0.journal.generation }
    }

    /// Whether a public change after generation `start`, up to `end` (now when nil), may have
    /// changed an answer made from `reads`.
    func changed(_ reads: ChangeTags, after start: Int, upTo end: Int? = nil) -> Bool {
        table.withLock { $0.journal.changed(reads, after: start, upTo: end) }
    }

    /// The live entry for a request, if any.
    func entry(for request: HTTPRequestHead) -> Entry? {
        guard let key = Self.key(for: request) else { return nil }
        let now = ContinuousClock.now
        return table.withLock { table in
            guard let entry = table.entries[key], entry.expires > now else { return nil }
            return entry
        }
    }

    /// Keeps an entry, unless what it was made from changed since `generation` was read.
    func store(_ entry: Entry, for key: Key, generation: Int) {
        table.withLock { table in
            guard !table.journal.changed(entry.reads, after: generation) else { return }
            let size = entry.size
            func overflows(_ table: Table) -> Bool {
                let replaced = table.entries[key]?.size
                return (replaced == nil && table.entries.count >= capacity)
                    || table.bytes - (replaced ?? 0) + size > byteBudget
            }
            if overflows(table) {
                let now = ContinuousClock.now
                table.entries = table.entries.filter { $0.value.expires > now }
                table.bytes = table.entries.values.reduce(0) { $0 + $1.size }
                if overflows(table) { table.removeAll() }
            }
            if let replaced = table.entries.updateValue(entry, forKey: key) {
                table.bytes -= replaced.size
            }
            table.bytes += size
        }
    }

    /// Drops the answers a commit that changed `changes` may have changed.
    func invalidate(_ changes: ChangeTags = .everything) {
        guard !changes.isNothingPublic else { return }
        table.withLock { table in
            table.journal.record(changes)
            if changes.changesEveryAnswer {
                table.removeAll()
            } else {
                table.remove { changes.affects($0.reads) }
            }
        }
    }

    /// The bytes of the bodies held.
    var bytes: Int {
        table.withLock { $0.bytes }
    }

    var count: Int {
        table.withLock { $0.entries.count }
    }
}

extension HTTPField.Name {
    static let pragma = Self("Pragma")!
    /// Marks a public answer that tells browsers `no-cache` as one the edge may keep until the
    /// next commit; the edge's middleware removes it from every response.
    static let edgeKeep = Self("Mandate-Edge-Keep")!
}
