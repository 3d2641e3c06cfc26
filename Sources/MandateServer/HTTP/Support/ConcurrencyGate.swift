import Synchronization

/// At most `running` pieces of work of one kind at once, and at most `waiting` more waiting for
/// their turn; one more is refused at once with `busy` (a 503 with `Retry-After`), so that a flood
/// of expensive requests (password hashing, large imports) holds a bounded amount of memory and
/// time, and everything else goes on. A piece that waits has not begun (an import has not read its
/// body), so waiting costs only its connection.
final class ConcurrencyGate: Sendable {
    let running: Int
    let waiting: Int
    let busy: AppError

    private struct State {
        var inside = 0
        /// Those waiting, resumed with `true` when their turn comes.
        var queue: [CheckedContinuation<Bool, Never>] = []
    }
    private let state = Mutex(State())

    init(running: Int, waiting: Int = 0, busy: AppError) {
        self.running = running
        self.waiting = waiting
        self.busy = busy
    }

    /// The pieces of work running or waiting now.
    var count: Int { state.withLock { $0.inside + $0.queue.count } }

    func run<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        // Decided under one lock: run now, wait in the queue, or be refused.
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decision = state.withLock { state -> Bool? in
                if state.inside < running {
                    state.inside += 1
                    return true
                }
                if state.queue.count < waiting {
                    state.queue.append(continuation)
                    return nil
                }
                return false
            }
            if let decision { continuation.resume(returning: decision) }
        }
        guard admitted else { throw busy }
        defer {
            // The place goes to the first in the queue, or is freed.
            let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                if state.queue.isEmpty {
                    state.inside -= 1
                    return nil
                }
                return state.queue.removeFirst()
            }
            next?.resume(returning: true)
        }
        return try await work()
    }
}
