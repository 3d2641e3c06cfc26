import NIOCore

/// How many connections the server holds and how long a client may take over each part of a
/// request. A connection beyond a cap is answered `503` at once (`ConnectionRefusal`); one that
/// overstays a timeout is closed (`ConnectionDeadlines`).
public struct ConnectionPolicy: Sendable, Equatable {
    /// Connections held at once, in all.
    public var maximumConnections: Int
    /// Connections held at once from one client address.
    public var maximumPerClient: Int
    /// A connection with no request under way is closed after this long without a byte.
    public var idleTimeout: Duration
    /// A request's head (request line and headers) must be whole within this long of its first byte.
    public var headerTimeout: Duration
    /// A request's body may pause this long at most between two reads.
    public var bodyTimeout: Duration
    /// An answer may wait this long at most for a client that does not read it.
    public var writeTimeout: Duration
    /// A graceful shutdown ends within this long, whatever the clients do.
    public var shutdownTimeout: Duration

    public init(
        maximumConnections: Int, maximumPerClient: Int = 256, idleTimeout: Duration = .seconds(30),
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30), shutdownTimeout: Duration = .seconds(10)
    ) {
        self.maximumConnections = maximumConnections
        self.maximumPerClient = maximumPerClient
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.writeTimeout = writeTimeout
        self.shutdownTimeout = shutdownTimeout
    }

    /// Files the process keeps for itself (the database, its journal, logs, the event loops' own
    /// descriptors) below the open-file limit.
    public static let reservedFiles = 128

    /// The caps that fit `openFiles` descriptors: three quarters of what is left after the
    /// reserve are held connections, the last quarter is room for refusing the rest with a 503
    /// (a refused connection holds its descriptor until its answer is sent), so that accepting
    /// never runs out of descriptors.
    public static func fitting(openFiles: Int) -> ConnectionPolicy {
        let usable = max(openFiles - reservedFiles, 16)
        return ConnectionPolicy(maximumConnections: min(usable * 3 / 4, 50_000))
    }

    /// Refused connections held at once while their 503 goes out; beyond it they are closed
    /// without an answer.
    public var maximumRefusing: Int { max(maximumConnections / 3, 8) }
}

/// Where a connection stands, as far as its deadlines go.
struct ConnectionState: Equatable {
    enum Phase: Equatable {
        /// No part of a next request has arrived since `since`.
        case waiting(since: NIODeadline)
        /// A request's first bytes arrived at `since`; its head is not whole yet.
        case header(since: NIODeadline)
        /// A request's head arrived; its body was last read from at `lastRead`.
        case body(lastRead: NIODeadline)
    }

    var phase: Phase
    /// Requests read whole and not yet answered to their end.
    var answering = 0
    /// Since when the connection cannot take more of an answer, if it cannot.
    var unwritableSince: NIODeadline?

    /// When the connection is to be closed if nothing changes: the earliest of the timeouts
    /// that apply. While the server is answering, the client owes nothing (only reading the
    /// answer, `writeTimeout`).
    func deadline(_ policy: ConnectionPolicy) -> NIODeadline? {
        let writing = unwritableSince.map { $0 + TimeAmount(policy.writeTimeout) }
        guard answering == 0 else { return writing }
        let reading: NIODeadline
        switch phase {
        case .waiting(let since): reading = since + TimeAmount(policy.idleTimeout)
        case .header(let since): reading = since + TimeAmount(policy.headerTimeout)
        case .body(let lastRead): reading = lastRead + TimeAmount(policy.bodyTimeout)
        }
        return writing.map { min($0, reading) } ?? reading
    }

    /// Bytes arrived at `now`: a waiting connection begins a request's head; a body progresses.
    mutating func bytesArrived(at now: NIODeadline) {
        switch phase {
        case .waiting: phase = .header(since: now)
        case .header: break
        case .body: phase = .body(lastRead: now)
        }
    }

    /// A request's head was read whole.
    mutating func headRead(at now: NIODeadline) {
        phase = .body(lastRead: now)
    }

    /// A request was read to its end: the server answers it, and the connection waits for the next.
    mutating func requestRead(at now: NIODeadline) {
        answering += 1
        phase = .waiting(since: now)
    }

    /// An answer was written to its end. Once nothing is left to answer, the client's clocks
    /// start again from now (a request that arrived meanwhile is not late for the server's time).
    mutating func answerWritten(at now: NIODeadline) {
        answering = max(answering - 1, 0)
        guard answering == 0 else { return }
        switch phase {
        case .waiting: phase = .waiting(since: now)
        case .header: phase = .header(since: now)
        case .body: phase = .body(lastRead: now)
        }
    }

    mutating func writabilityChanged(writable: Bool, at now: NIODeadline) {
        unwritableSince = writable ? nil : (unwritableSince ?? now)
    }
}
