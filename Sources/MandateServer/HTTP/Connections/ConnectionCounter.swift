import Synchronization

/// The connections the server holds, in all and per client address, shared by every event loop.
final class ConnectionCounter: Sendable {
    /// What a new connection gets.
    enum Admission: Equatable {
        /// Served; `release` when it closes.
        case admitted
        /// Answered 503 and closed once the client has read it; `releaseRefusal` when it closes.
        case refused(Reason)
        /// Answered 503 and closed at once: holding it until the client reads would take
        /// descriptors the process needs.
        case dropped
    }

    enum Reason: Equatable {
        case serverFull
        case clientFull
    }

    private struct Counts {
        var open = 0
        var refusing = 0
        var byClient: [String: Int] = [:]
    }

    let policy: ConnectionPolicy
    private let counts = Mutex(Counts())

    init(policy: ConnectionPolicy) {
        self.policy = policy
    }

    /// Admits a connection from `client` (its address), or says why not.
    func admit(_ client: String) -> Admission {
        counts.withLock { counts in
            let reason: Reason
            if counts.open >= policy.maximumConnections {
                reason = .serverFull
            } else if counts.byClient[client, default: 0] >= policy.maximumPerClient {
                reason = .clientFull
            } else {
                counts.open += 1
                counts.byClient[client, default: 0] += 1
                return .admitted
            }
            guard counts.refusing < policy.maximumRefusing else { return .dropped }
            counts.refusing += 1
            return .refused(reason)
        }
    }

    func release(_ client: String) {
        counts.withLock { counts in
            counts.open -= 1
            let left = counts.byClient[client, default: 1] - 1
            counts.byClient[client] = left > 0 ? left : nil
        }
    }

    func releaseRefusal() {
        counts.withLock { $0.refusing -= 1 }
    }

    /// Connections held now, in all.
    var open: Int { counts.withLock { $0.open } }
}
