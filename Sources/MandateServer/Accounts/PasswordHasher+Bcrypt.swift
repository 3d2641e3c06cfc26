import HummingbirdBcrypt
import MandateStore
import NIOCore
import NIOPosix

extension PasswordHasher {
    public func hash(_ password: String) async throws -> String {
        try await queue.run { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await queue.run { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the account does not exist, so that the time taken does not
    /// reveal which e-mail addresses have accounts.
    static let decoy = DemoAccounts.passwordHash
}

/// Password hashing on threads of its own, half the cores (at least one), so that a flood of
/// sign-ins never takes the threads the database reads run on (NIO's shared pool). At most
/// `maximumWaiting` hashes of one application wait for a thread; beyond that a sign-in is
/// refused at once (503 with `Retry-After`) rather than queued behind seconds of bcrypt.
final class HashingQueue: Sendable {
    static let threads = max(1, System.coreCount / 2)
    private static let pool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    let maximumWaiting = 16 * HashingQueue.threads
    private let line: ConcurrencyGate

    init() {
        var busy = AppError(
            .serviceUnavailable, "sign-in-busy", "Sign-in is busy",
            detail: "too many sign-ins are being checked at once; try again in a few seconds")
        busy.retryAfter = 2
        line = ConcurrencyGate(running: maximumWaiting, busy: busy)
    }

    /// Hashes of this queue running or waiting now.
    var inLine: Int { line.count }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await line.run { try await Self.pool.runIfActive(work) }
    }
}
