import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import MandateServer

/// What an import costs the server is bounded: a caller who may write nowhere is refused before
/// the body is read, a problem report lists at most `AppError.maximumErrors` rows with their
/// count, and at most `ValueService.imports` sets are read at once.
@Suite struct ImportLimitsTests {
    /// A viewer's set is refused (403) without being read: the same body from a reporter is read
    /// and refused for what is in it (422).
    @Test func aViewerIsRefusedBeforeTheSetIsRead() async throws {
        try await withApp { client in
            let broken = "indicator,unit,period,value\nX,01,2025,\"never closed\n"
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            let refused = try await IndicatorsAPITests.post(
                client, "/api/v1/dataValueSets", broken, as: viewer, contentType: "text/csv")
            #expect(refused.status == .forbidden)
            #expect(try refused.problem().errors == nil)
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let read = try await IndicatorsAPITests.post(
                client, "/api/v1/dataValueSets", broken, as: reporter, contentType: "text/csv")
            #expect(read.status == .unprocessableContent)
            // A reporter may not approve: refused before reading too.
            let approving = try await IndicatorsAPITests.post(
                client, "/api/v1/dataValueSets?approve=true", broken, as: reporter, contentType: "text/csv")
            #expect(approving.status == .forbidden)
        }
    }

    /// 1,500 bad rows: the first 1,000 problems by line, and the count of all of them.
    @Test func aLongProblemReportListsTheFirstThousandAndTheCount() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let rows = (0..<1500).map { "NOPE\($0),01,2025,1\n" }.joined()
            let answer = try await IndicatorsAPITests.post(
                client, "/api/v1/dataValueSets", "indicator,unit,period,value\n" + rows, as: reporter,
                contentType: "text/csv")
            #expect(answer.status == .unprocessableContent)
            let problem = try answer.problem()
            #expect(problem.errors?.count == 1000)
            #expect(problem.errors?.first?.line == 2 && problem.errors?.last?.line == 1001)
            #expect(problem.errorCount == 1500)
            #expect(problem.detail?.contains("1500 problems") == true)
        }
    }

    /// Two run at once and two more wait their turn; with all four places taken, one more is
    /// refused at once with 503 and Retry-After. The waiting ones run as places free, in turn, and
    /// never more than two at once.
    @Test func aFullGateRefusesAtOnceAndTheQueueMovesInTurn() async throws {
        let gate = ConcurrencyGate(running: 2, waiting: 2, busy: ValueService.importsBusy)
        final class Running: Sendable {
            let counts = Mutex((now: 0, most: 0))
        }
        let running = Running()
        // Each piece waits (without holding a thread) until its stream ends.
        let streams = (0..<4).map { _ in AsyncStream<Void>.makeStream() }
        let inside = streams.map { release, _ in
            Task {
                try await gate.run {
                    running.counts.withLock {
                        $0.now += 1
                        $0.most = max($0.most, $0.now)
                    }
                    for await _ in release {}
                    running.counts.withLock { $0.now -= 1 }
                }
            }
        }
        while gate.count < 4 { await Task.yield() }
        do {
            _ = try await gate.run { 1 }
            Issue.record("an import was let past a full gate")
        } catch let error as AppError {
            #expect(error.status == .serviceUnavailable && error.retryAfter == 10)
        }
        for (_, hold) in streams { hold.finish() }
        for task in inside { try await task.value }
        #expect(running.counts.withLock { $0.most } == 2)
        #expect(try await gate.run { 2 } == 2)
        #expect(gate.count == 0)
    }
}
