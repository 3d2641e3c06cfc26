import Testing

@testable import MandateCore

@Suite struct AccountRulesTests {
    @Test func emailsAreNormalised() throws {
        #expect(try EmailAddress.normalised("  Head.HaNoi@Demo.Mandate.VN ") == "head.hanoi@demo.mandate.vn")
    }

    /// Composed (NFC): "ệ" typed as "e" and two combining marks is the same address as "ệ".
    @Test func emailsAreComposed() throws {
        #expect(try EmailAddress.normalised("nguy\u{0065}\u{0323}\u{0302}n@demo.vn") == "nguy\u{1EC7}n@demo.vn")
    }

    @Test(arguments: [
        "", "no-at-sign", "a@b", "a@@b.vn", "a b@c.vn", "@b.vn", "a@.vn",
        // Invisible characters: a zero-width space, a right-to-left override, a word joiner, a
        // byte order mark, a soft hyphen, a control character.
        "ad\u{200B}min@demo.mandate.vn", "admin@demo.mandate.vn\u{202E}", "ad\u{2060}min@demo.vn",
        "\u{FEFF}admin@demo.vn", "ad\u{00AD}min@demo.vn", "ad\u{0007}min@demo.vn",
    ])
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
