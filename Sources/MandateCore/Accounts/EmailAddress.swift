/// The rule e-mail addresses follow: normalised to lower case, one "@", a dotted domain.
public enum EmailAddress {
    public static func normalised(_ text: String) throws(ValidationFailure) -> String {
        let email = text.trimmingWhitespace().lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.unicodeScalars.contains(where: { $0.properties.isWhitespace })
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
