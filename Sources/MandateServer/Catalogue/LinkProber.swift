import Foundation
import Logging
import MandateCore
import MandateStore
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// How the catalogue's links are probed: how often the job runs, how long a link's answer holds,
/// how long a request may take, how many run at once, and whether private addresses may be asked
/// (only for an intranet deployment or a test on loopback).
public struct LinkProbePolicy: Sendable {
    public var every: Duration
    public var recheckAfter: Duration
    public var timeout: Duration
    public var concurrency: Int
    public var allowPrivateAddresses: Bool

    public init(
        every: Duration = .seconds(3600), recheckAfter: Duration = .seconds(86_400), timeout: Duration = .seconds(10),
        concurrency: Int = 4, allowPrivateAddresses: Bool = false
    ) {
        self.every = every
        self.recheckAfter = recheckAfter
        self.timeout = timeout
        self.concurrency = concurrency
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    /// The most links one round probes.
    static let perRound = 2_000
}

/// The background job that asks each approved database's links whether they answer, and keeps
/// every answer (`CatalogueRepository.record`): the living quality and the metadata score read
/// the latest. One instance of a deployment runs it at a time, by a lease in the database.
struct LinkProber: Service {
    let catalogue: any CatalogueRepository
    let clock: AppClock
    let policy: LinkProbePolicy
    let logger: Logger
    let holder = UUID().uuidString

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await round()
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("could not probe the catalogue's links", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: policy.every)
            }
        }
    }

    /// One round: the links due, `policy.concurrency` at a time, their answers kept as they come.
    func round() async throws {
        let now = clock.date()
        let until = now.addingTimeInterval(policy.every.seconds * 2 + policy.timeout.seconds * 2)
        guard
            try await catalogue.lease(
                "catalogue-link-probe", holder: holder, until: Timestamp.string(until), now: Timestamp.string(now))
        else { return }
        let due = try await catalogue.linksDue(
            checkedBefore: Timestamp.string(now.addingTimeInterval(-policy.recheckAfter.seconds)),
            limit: LinkProbePolicy.perRound)
        guard !due.isEmpty else { return }
        var probes: [LinkProbe] = []
        try await withThrowingTaskGroup(of: LinkProbe.self) { group in
            var pending = due[...]
            for _ in 0..<min(policy.concurrency, pending.count) {
                let link = pending.removeFirst()
                group.addTask { await probe(link) }
            }
            while let probe = try await group.next() {
                probes.append(probe)
                if let link = pending.popFirst() { group.addTask { await self.probe(link) } }
            }
        }
        try await catalogue.record(probes)
        logger.info(
            "probed the catalogue's links",
            metadata: ["links": "\(probes.count)", "answered": "\(probes.filter(\.answered).count)"])
    }

    /// Asks `link` with HEAD (then GET where HEAD is refused), following no redirect; a link
    /// whose host is a private address is not asked unless the policy allows it, and counts as
    /// not answering.
    func probe(_ link: String) async -> LinkProbe {
        let checkedAt = clock.now()
        guard let url = URL(string: link), let host = url.host,
            policy.allowPrivateAddresses || Self.isPublic(host: host)
        else { return LinkProbe(url: link, checkedAt: checkedAt, status: nil, answered: false) }
        var status: Int?
        for method in ["HEAD", "GET"] {
            var request = URLRequest(url: url, timeoutInterval: policy.timeout.seconds)
            request.httpMethod = method
            request.setValue("Mandate catalogue link check", forHTTPHeaderField: "User-Agent")
            if method == "GET" { request.setValue("bytes=0-0", forHTTPHeaderField: "Range") }
            status = try? await (Self.session.data(for: request).1 as? HTTPURLResponse)?.statusCode
            if status != 405 && status != 501 { break }
        }
        return LinkProbe(url: link, checkedAt: checkedAt, status: status, answered: LinkChecks.answered(status: status))
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    /// Whether every address `host` resolves to is public (`LinkChecks.isPublic`).
    static func isPublic(host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return false }
        defer { freeaddrinfo(first) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        var any = false
        while let current = node {
            defer { node = current.pointee.ai_next }
            guard let address = current.pointee.ai_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
                }
                guard LinkChecks.isPublic(ipv4: bytes) else { return false }
            case AF_INET6:
                let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
                }
                guard LinkChecks.isPublic(ipv6: bytes) else { return false }
            default: return false
            }
            any = true
        }
        return any
    }
}

/// Answers a redirect as it is, without following it: a link that redirects answered, and the
/// probe never goes where the redirect points.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
