import Foundation
import MandateCore
import Testing

struct SignInThrottleTests {
    let rule = SignInThrottle(free: 5, longest: 60)
    let last = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [(0, 0.0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (11, 60), (40, 60), (1_000, 60)])
    func theWaitDoublesAfterTheFreeFailuresUpToTheLongest(failures: Int, seconds: Double) {
        #expect(rule.wait(afterFailures: failures) == seconds)
    }

    @Test func anAttemptWaitsFromTheLastFailure() {
        #expect(rule.retryAfter(failures: 4, lastFailure: last, now: last) == nil)
        #expect(rule.retryAfter(failures: 7, lastFailure: last, now: last) == 4)
        #expect(rule.retryAfter(failures: 7, lastFailure: last, now: last.addingTimeInterval(2.5)) == 2)
        #expect(rule.retryAfter(failures: 7, lastFailure: last, now: last.addingTimeInterval(4)) == nil)
        // Never "0 seconds": a wait under a second is still one.
        #expect(rule.retryAfter(failures: 5, lastFailure: last, now: last.addingTimeInterval(0.9)) == 1)
    }

    @Test func oldFailuresAreForgotten() {
        let dayLater = last.addingTimeInterval(SignInThrottle.forgetAfter)
        #expect(rule.retryAfter(failures: 1_000, lastFailure: last, now: dayLater) == nil)
        #expect(SignInThrottle.failures(after: 9, lastFailure: last, now: dayLater) == 1)
        #expect(SignInThrottle.failures(after: 9, lastFailure: last, now: last.addingTimeInterval(60)) == 10)
        #expect(SignInThrottle.failures(after: 0, lastFailure: nil, now: last) == 1)
    }

    @Test func anOfficeBehindOneAddressHasMoreRoomThanOneAccount() {
        #expect(SignInThrottle.client.free > SignInThrottle.accountFromClient.free)
        #expect(SignInThrottle.accountFromClient.wait(afterFailures: 4) == 0)
        #expect(SignInThrottle.accountFromClient.wait(afterFailures: 5) == 1)
    }
}
