import Dispatch
import Testing

@testable import MandateServer

struct HashingQueueTests {
    /// With the line full (every hash blocked), the next sign-in is refused at once with 503 and
    /// Retry-After, instead of waiting behind them; once the line moves, hashing goes on.
    @Test func aFullLineRefusesAtOnce() async throws {
        let queue = HashingQueue()
        let gate = DispatchSemaphore(value: 0)
        let blocked = (0..<queue.maximumWaiting).map { _ in
            Task { try await queue.run { gate.wait() } }
        }
        while queue.inLine < queue.maximumWaiting { await Task.yield() }
        do {
            _ = try await queue.run { 1 }
            Issue.record("a hash was let into a full line")
        } catch let error as AppError {
            #expect(error.status == .serviceUnavailable && error.retryAfter == 2)
        }
        for _ in blocked { gate.signal() }
        for task in blocked { try await task.value }
        #expect(try await queue.run { 2 } == 2)
        #expect(queue.inLine == 0)
    }
}
