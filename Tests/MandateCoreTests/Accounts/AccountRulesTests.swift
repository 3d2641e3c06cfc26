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

    /// At least 12 characters and at most 72 bytes, bcrypt's limit: nothing is cut off without a
    /// word (72 letters without accents pass, 73 do not; 25 "ệa" are 100 bytes and do not).
    @Test func passwordsNeedTwelveCharactersAndAtMostSeventyTwoBytes() throws {
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check("short-pass1") }
        try PasswordPolicy.check("twelve chars")
        try PasswordPolicy.check(String(repeating: "mot hai ", count: 9))
        #expect(throws: ValidationFailure.self) {
            try PasswordPolicy.check(String(repeating: "mot hai ", count: 9) + "z")
        }
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check(String(repeating: "ệa", count: 25)) }
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check(String(repeating: "x", count: 129)) }
        // bcrypt stops at NUL: no control character is taken.
        for control in ["\u{0}", "\n", "\t", "\u{7F}"] {
            #expect(throws: ValidationFailure.self) { try PasswordPolicy.check("twelve" + control + "chars!") }
        }
    }

    @Test func whatBcryptWouldCutCannotMatch() {
        #expect(PasswordPolicy.mayMatch("twelve chars"))
        #expect(PasswordPolicy.mayMatch(String(repeating: "x", count: 72)))
        #expect(!PasswordPolicy.mayMatch(String(repeating: "x", count: 73)))
        #expect(!PasswordPolicy.mayMatch("twelve chars\u{0}"))
        #expect(!PasswordPolicy.mayMatch("\u{0}"))
    }

    /// Common passwords and their patterns are refused; passphrases pass.
    @Test(arguments: [
        "123456789012", "PASSWORD1234", "qwertyuiopas", "098765432109", "aaaaaaaaaaaa", "abababababab",
        "matkhau123456", "iloveyou1234", "abcdefghijklm", "zyxwvutsrqpo", "admin1111111",
    ])
    func commonPasswordsAreRefused(password: String) {
        #expect(throws: ValidationFailure.self) { try PasswordPolicy.check(password) }
    }

    @Test(arguments: ["a long passphrase", "twelve chars", "Cà phê sữa đá 2026", "hoa-sen-nở-tháng-6"])
    func passphrasesPass(password: String) throws {
        try PasswordPolicy.check(password)
    }

    @Test func timestampsRoundTripAndSortInTimeOrder() throws {
        let earlier = try #require(Timestamp.date("2026-03-31T09:30:00.000Z"))
        let later = earlier.addingTimeInterval(0.5)
        #expect(Timestamp.string(earlier) == "2026-03-31T09:30:00.000Z")
        #expect(Timestamp.string(earlier) < Timestamp.string(later))
    }
}
