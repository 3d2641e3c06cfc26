import Synchronization

/// At most `capacity` pieces of work of one kind at once (running or waiting for their turn);
/// one more is refused at once with `busy` (a 503 with `Retry-After`), never queued, so that a
/// flood of expensive requests (password hashing, large imports) holds a bounded amount of
/// memory and time, and everything else goes on.
final class ConcurrencyGate: Sendable {
    let capacity: Int
    let busy: AppError
    private let inside = Atomic<Int>(0)

    init(capacity: Int, busy: AppError) {
        self.capacity = capacity
        self.busy = busy
    }

    /// The pieces of work inside now.
    var count: Int { inside.load(ordering: .relaxed) }

    func run<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        guard inside.add(1, ordering: .relaxed).newValue <= capacity else {
            inside.subtract(1, ordering: .relaxed)
            throw busy
        }
        defer { inside.subtract(1, ordering: .relaxed) }
        return try await work()
    }
}
