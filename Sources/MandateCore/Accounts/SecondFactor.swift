/// Who needs a second factor, and its recovery codes (ASVS 5, V6.3.3 and V6.5).
///
/// Administrators and committee analysts act on every unit, so their accounts need a code from
/// an authenticator app (`TOTP`) besides the password. Until such an account has set one up, a
/// sign-in with its password alone may do nothing but set one up (`Principal.enrolling`). The
/// demo's accounts, whose password is published with the product, are exempt while the server
/// runs its demo: they guard illustrative data only.
public enum SecondFactor {
    /// Whether accounts of `role` must give a second factor.
    public static func required(for role: Role) -> Bool {
        role.isCommitteeRole
    }

    /// Whether a sign-in with the password alone may only set up a second factor: the role
    /// needs one, the account has none, and it is not exempt.
    public static func mustEnrol(role: Role, enrolled: Bool, exempt: Bool) -> Bool {
        required(for: role) && !enrolled && !exempt
    }

    /// Why an account that must set up its second factor is refused `action`.
    public static func enrolFirst(_ action: Action) -> String {
        "your role needs a second factor: set up an authenticator app on your account page (/account) before you "
            + action.phrase
    }
}

/// Single-use codes that stand in for the authenticator app when the phone is lost: ten, each of
/// 120 random bits written as 24 base-32 characters in groups of four (`ABCD-EFGH-…`). At 112
/// bits or more a code needs no slow hash (ASVS 5, 6.5.2), so they are stored as SHA-256 hashes
/// only; a new set replaces the old.
public enum RecoveryCodes {
    public static let count = 10
    static let length = 24
    static let group = 4

    /// A new set, as shown to the user once.
    public static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<length).map { _ in Base32.alphabet[Int.random(in: 0..<32, using: &generator)] }
            return stride(from: 0, to: length, by: group).map {
                String(decoding: characters[$0..<$0 + group], as: UTF8.self)
            }.joined(separator: "-")
        }
    }

    /// The code as stored (hashed) and compared: upper case, without spaces or hyphens; nil if
    /// `typed` cannot be a recovery code.
    public static func normalised(_ typed: String) -> String? {
        let kept = typed.uppercased().filter { $0 != " " && $0 != "-" }
        guard kept.count == length, kept.utf8.allSatisfy({ Base32.alphabet.contains($0) }) else { return nil }
        return kept
    }
}
