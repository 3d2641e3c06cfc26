import Testing

@testable import MandateCore

@Suite struct AccountRulesTests {
    @Test func emailsAreNormalised() throws {
        #expect(try EmailAddress.normalised("  Head.HaNoi@Demo.Mandate.VN ") == "head.hanoi@demo.mandate.vn")
    }

    @Test(arguments: ["", "no-at-sign", "a@b", "a@@b.vn", "a b@c.vn", "@b.vn", "a@.vn"])
    func badEmailsAreRefused(email: String) {
        #expect(throws: ValidationFailure.self) { try EmailAddress.normalised(email) }
    }

    @Test func passwordsNeedTwelveToOneHundredTwentyEightCharacters() throws {
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check("short-pass1") }
        try PasswordPolicy.check("twelve chars")
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check(String(repeating: "x", count: 129)) }
    }

    @Test func timestampsRoundTripAndSortInTimeOrder() throws {
        let earlier = try #require(Timestamp.date("2026-03-31T09:30:00.000Z"))
        let later = earlier.addingTimeInterval(0.5)
        #expect(Timestamp.string(earlier) == "2026-03-31T09:30:00.000Z")
        #expect(Timestamp.string(earlier) < Timestamp.string(later))
    }
}
