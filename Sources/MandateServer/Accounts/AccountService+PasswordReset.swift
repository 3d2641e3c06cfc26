import Foundation
import MandateCore
import MandateStore

/// One-time links to set a password (`PasswordReset`): an administrator makes one for an account
/// of its unit tree and hands it over; its owner opens it and chooses a new password.
extension AccountService {
    /// A link made: where it leads (its secret is in the path, shown once) and until when.
    public struct IssuedPasswordReset: Sendable, Codable {
        public let userId: String
        /// The page that sets the password, relative to the server's address.
        public let path: String
        public let expiresAt: String
    }

    /// A new link for `user`, made by `admin` (whose right to manage the account the caller has
    /// checked); the account's earlier unused links stop working. Not for the administrator's own
    /// account (they change their password on `/account`), nor for a disabled one (409).
    public func issuePasswordReset(for user: User, by admin: User) async throws -> IssuedPasswordReset {
        if user.id == admin.id {
            throw AppError(
                .conflict, "own-account", "Own account",
                detail: "change your own password on your account page; a reset link is for someone else's account")
        }
        if !user.active {
            throw AppError(
                .conflict, "account-disabled", "Account disabled",
                detail: "the account is disabled; enable it before making a reset link")
        }
        let secret = Secrets.random()
        let now = clock.date()
        let link = PasswordResetLink(
            tokenHash: Secrets.hash(secret), userId: user.id, issuedBy: admin.id, issuedAt: Timestamp.string(now),
            expiresAt: Timestamp.string(PasswordReset.expiry(issuedAt: now)))
        try await accounts.createPasswordReset(link)
        return IssuedPasswordReset(userId: user.id, path: "/password-reset/\(secret)", expiresAt: link.expiresAt)
    }

    /// The account whose password the link with secret `token` sets, or why it does not.
    public func passwordResetAccount(token: String) async throws -> Result<User, PasswordReset.Refusal> {
        guard token.utf8.count <= 64,
            let (link, user) = try await accounts.passwordReset(tokenHash: Secrets.hash(token))
        else { return .failure(PasswordReset.Refusal.unknown) }
        let refusal = PasswordReset.refusal(
            expiresAt: Timestamp.date(link.expiresAt) ?? .distantPast,
            usedAt: link.usedAt.flatMap { Timestamp.date($0) }, accountActive: user.active, now: clock.date())
        if let refusal { return .failure(refusal) }
        return .success(user)
    }

    /// Sets the password of the link's account to `new` (typed twice, the same), under the policy;
    /// every session of the account ends and its second factor stays. Throws `ValidationFailure`
    /// naming the field for a refused password, and the `PasswordReset.Refusal` of a link that
    /// no longer works.
    public func resetPassword(token: String, new: String, repeated: String) async throws -> User {
        let user: User
        switch try await passwordResetAccount(token: token) {
        case .failure(let refusal): throw refusal
        case .success(let found): user = found
        }
        do { try PasswordPolicy.check(new) } catch {
            throw ValidationFailure(error.errors.map { RowError(line: nil, column: "newPassword", reason: $0.reason) })
        }
        guard new == repeated else {
            throw ValidationFailure(field: "repeatPassword", reason: "the two passwords differ")
        }
        let hash = try await hasher.hash(new)
        guard
            try await accounts.usePasswordReset(
                tokenHash: Secrets.hash(token), passwordHash: hash, at: Timestamp.string(clock.date()))
        else { throw PasswordReset.Refusal.used }
        return user
    }
}
