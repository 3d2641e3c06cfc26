import NIOCore
import Testing

@testable import MandateServer

/// The connection caps and deadlines as rules: the live behaviour (a flood of idle connections,
/// a head sent a byte at a time) is tested against the running binary in Tests/system.
struct ConnectionPolicyTests {
    let policy = ConnectionPolicy(
        maximumConnections: 4, maximumPerClient: 2, idleTimeout: .seconds(30), headerTimeout: .seconds(10),
        bodyTimeout: .seconds(20), writeTimeout: .seconds(5))
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() {
        let state = ConnectionState(phase: .waiting(since: start))
        #expect(state.deadline(policy) == at(30))
    }

    @Test func aHeadMustBeWholeWithinTheHeaderTimeoutOfItsFirstByte() {
        var state = ConnectionState(phase: .waiting(since: start))
        state.bytesArrived(at: at(3))
        #expect(state.deadline(policy) == at(13))
        // More bytes of the same head do not move the deadline: a byte at a time gains nothing.
        state.bytesArrived(at: at(9))
        #expect(state.deadline(policy) == at(13))
    }

    @Test func aBodyMayPauseAtMostTheBodyTimeoutBetweenReads() {
        var state = ConnectionState(phase: .waiting(since: start))
        state.bytesArrived(at: at(1))
        state.headRead(at: at(2))
        #expect(state.deadline(policy) == at(22))
        state.bytesArrived(at: at(15))
        #expect(state.deadline(policy) == at(35))
    }

    @Test func whileTheServerAnswersTheClientOwesNothingButReading() {
        var state = ConnectionState(phase: .waiting(since: start))
        state.bytesArrived(at: at(1))
        state.headRead(at: at(1))
        state.requestRead(at: at(2))
        #expect(state.deadline(policy) == nil)
        // A client that stops reading the answer.
        state.writabilityChanged(writable: false, at: at(4))
        #expect(state.deadline(policy) == at(9))
        state.writabilityChanged(writable: false, at: at(6))
        #expect(state.deadline(policy) == at(9))
        state.writabilityChanged(writable: true, at: at(7))
        #expect(state.deadline(policy) == nil)
        // Answered: the idle clock starts from the answer's end, not from the request.
        state.answerWritten(at: at(60))
        #expect(state.deadline(policy) == at(90))
    }

    @Test func aPipelinedRequestIsNotLateForTheServersTime() {
        var state = ConnectionState(phase: .waiting(since: start))
        state.headRead(at: at(0))
        state.requestRead(at: at(0))
        state.bytesArrived(at: at(1))  // the next request's head begins while the first is answered
        state.answerWritten(at: at(50))
        #expect(state.deadline(policy) == at(60))
    }

    @Test func connectionsBeyondACapAreRefusedAndBeyondTheRefusalRoomDropped() {
        let counter = ConnectionCounter(policy: policy)
        #expect(counter.admit("10.0.0.1") == .admitted)
        #expect(counter.admit("10.0.0.1") == .admitted)
        #expect(counter.admit("10.0.0.1") == .refused(.clientFull))
        #expect(counter.admit("10.0.0.2") == .admitted)
        #expect(counter.admit("10.0.0.3") == .admitted)
        #expect(counter.open == 4)
        // The room for refusals (a third of the cap, at least 8) fills, then connections are dropped.
        for _ in 1..<policy.maximumRefusing { #expect(counter.admit("10.0.0.4") == .refused(.serverFull)) }
        #expect(counter.admit("10.0.0.4") == .dropped)
        counter.releaseRefusal()
        #expect(counter.admit("10.0.0.4") == .refused(.serverFull))
        // A closed connection frees its place, in all and for its client.
        counter.release("10.0.0.1")
        #expect(counter.admit("10.0.0.1") == .admitted)
        #expect(counter.open == 4)
    }

    @Test func theDefaultCapsLeaveRoomForRefusingWithinTheOpenFileLimit() {
        for limit in [256, 1024, 4096, 65_536, 1 << 20] {
            let fitting = ConnectionPolicy.fitting(openFiles: limit)
            #expect(fitting.maximumConnections >= 1)
            #expect(
                fitting.maximumConnections + fitting.maximumRefusing + ConnectionPolicy.reservedFiles <= max(limit, 160)
            )
        }
        #expect(ConnectionPolicy.fitting(openFiles: 1024).maximumConnections == 672)
    }
}
