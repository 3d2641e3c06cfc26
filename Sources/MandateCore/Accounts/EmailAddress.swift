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

/// The rule passwords follow (OWASP ASVS 2.1: at least 12 characters, at most 128, anything allowed).
public enum PasswordPolicy {
    public static func check(_ password: String) throws(ValidationFailure) {
        if password.count < 12 {
            throw ValidationFailure(field: "password", reason: "a password needs at least 12 characters")
        }
        if password.count > 128 {
            throw ValidationFailure(field: "password", reason: "a password has at most 128 characters")
        }
    }
}
