import Foundation

/// The rule e-mail addresses follow: composed (NFC) and in lower case, one "@", a dotted domain,
/// and nothing invisible: an address with a zero-width space, a direction control or any other
/// format or control character is refused, since it would look like another account's address.
public enum EmailAddress {
    public static func normalised(_ text: String) throws(ValidationFailure) -> String {
        let email = text.trimmingWhitespace().precomposedStringWithCanonicalMapping.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }),
            !HumanText.hasHiddenCharacters(email)
        else {
            throw ValidationFailure(field: "email", reason: "\"\(text)\" is not an e-mail address")
        }
        return email
    }
}

/// The rule passwords follow (OWASP ASVS 5, 6.2): at least 12 characters; at most 72 bytes of
/// UTF-8, because bcrypt reads no further and a longer password would be cut without a word
/// (72 letters without accents, fewer with Vietnamese ones); no control character (bcrypt stops
/// at NUL, so "abc\0…" would be "abc"); not one of the common passwords the product ships
/// (`CommonPasswords`), nor a single character repeated or a run along the digits or a keyboard
/// row ("123456789012", "qwertyuiopas").
public enum PasswordPolicy {
    public static let minimumCharacters = 12
    public static let maximumBytes = 72

    /// Why a password may not be set.
    public enum Problem: String, Sendable, Equatable {
        case tooShort, tooLong, controlCharacters, common
    }

    /// Why `password` may not be set, or nil when it may.
    public static func problem(_ password: String) -> Problem? {
        if password.count < minimumCharacters { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .controlCharacters
        }
        if CommonPasswords.contains(password) { return .common }
        return nil
    }

    public static func check(_ password: String) throws(ValidationFailure) {
        guard let problem = problem(password) else { return }
        let reason =
            switch problem {
            case .tooShort: "a password needs at least 12 characters"
            case .tooLong:
                "a password has at most 72 bytes (72 letters without accents, fewer with accents); "
                    + "this one has \(password.utf8.count)"
            case .controlCharacters: "a password may not hold control characters (line breaks, tabs, NUL)"
            case .common: "this password is among the most common ones; choose another"
            }
        throw ValidationFailure(field: "password", reason: reason)
    }

    /// Whether `presented` can be any account's password: no password this rule lets be set is
    /// longer than 72 bytes or holds a NUL, and bcrypt would compare only the bytes before either,
    /// so such an input is wrong without being hashed.
    public static func mayMatch(_ presented: String) -> Bool {
        presented.utf8.count <= maximumBytes && !presented.utf8.contains(0)
    }
}
