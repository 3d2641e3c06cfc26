import Foundation
import MandateCore

/// A user together with the stored password hash, for sign-in only.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String
    /// The authenticator app's secret (base 32), once set up.
    public var totpSecret: String?
    /// The last step whose code was accepted (`TOTP.acceptedStep`).
    public var totpLastStep: Int64?
}

/// An account's second factor as stored (`SecondFactor`).
public struct SecondFactorRecord: Sendable, Equatable {
    /// The secret in use (base 32), once confirmed.
    public var secret: String?
    /// A secret offered and not yet confirmed with a code.
    public var pending: String?
    public var lastStep: Int64?
    /// Recovery codes not yet used.
    public var recoveryCodesLeft: Int

    public init(secret: String?, pending: String?, lastStep: Int64?, recoveryCodesLeft: Int) {
        self.secret = secret
        self.pending = pending
        self.lastStep = lastStep
        self.recoveryCodesLeft = recoveryCodesLeft
    }
}

/// Users, their sessions and their API tokens.
public protocol AccountRepository: Sendable {
    /// Adds a user; fails with a validation error if the e-mail is taken or the unit unknown.
    func createUser(_ user: User, passwordHash: String) async throws
    /// The user and password hash for an e-mail address (already normalised).
    func credentials(email: String) async throws -> UserCredentials?
    func user(id: String) async throws -> User?
    /// Users, optionally of one unit, ordered by e-mail.
    func users(unitCode: String?) async throws -> [User]
    func setPasswordHash(userId: String, hash: String) async throws

    func createSession(_ session: Session) async throws
    /// The session for a cookie's hash, with its user (who must be active), if it has not expired
    /// by `now` and was last used after `seenAfter`.
    func session(idHash: String, now: String, seenAfter: String) async throws -> (Session, User)?
    /// Records the session's use at `at`.
    func touchSession(idHash: String, at: String) async throws
    /// Ends the user's sessions but the one with `idHash`; returns how many ended.
    @discardableResult func endSessions(userId: String, except idHash: String?) async throws -> Int
    /// Enables or disables an account; disabling ends its sessions and revokes its tokens in the
    /// same transaction. Returns the user, or nil if there is none with the id.
    func setActive(userId: String, _ active: Bool, at: String) async throws -> User?
    func deleteSession(idHash: String) async throws
    /// Removes expired sessions; returns how many.
    @discardableResult func purgeSessions(before now: String) async throws -> Int

    /// Stores a token by the hash of its secret.
    func createToken(_ token: APIToken, secretHash: String) async throws
    func tokens(userId: String) async throws -> [APIToken]
    /// Marks a token revoked; false if the user has no such live token.
    func revokeToken(id: String, userId: String, at: String) async throws -> Bool
    /// The live token (not revoked, not expired at `at`, its user active) for a secret's hash, with
    /// its user, recording its use.
    func useToken(secretHash: String, at: String) async throws -> (APIToken, User)?

    /// The user's second factor; nil if there is no such user.
    func secondFactor(userId: String) async throws -> SecondFactorRecord?
    /// Keeps `secret` as offered to the user, until it is confirmed with a code.
    func offerSecondFactor(userId: String, secret: String) async throws
    /// Sets up `secret` (the one offered) as the user's second factor, its code for `step` just
    /// used, with a new set of recovery codes (their hashes) replacing any old one. False if the
    /// offered secret is no longer `secret` (offered again meanwhile).
    func enableSecondFactor(
        userId: String, secret: String, step: Int64, recoveryCodeHashes: [String]
    ) async throws
        -> Bool
    /// Records that the code for `step` was used, if no later or equal step has been: false if it
    /// has (a code is good once, even under two sign-ins racing).
    func useSecondFactorStep(userId: String, step: Int64) async throws -> Bool
    /// Marks the recovery code with `codeHash` used at `at`; false if the user has no such unused code.
    func useRecoveryCode(userId: String, codeHash: String, at: String) async throws -> Bool
    /// Removes the user's second factor and recovery codes and ends its sessions (an
    /// administrator's reset, when the phone and the codes are both lost).
    func resetSecondFactor(userId: String) async throws

    /// Keeps a new one-time link to set the user's password (`PasswordReset`; only its secret's
    /// digest); the user's earlier unused links stop working.
    func createPasswordReset(_ link: PasswordResetLink) async throws
    /// The link whose secret has the digest `tokenHash`, with its account.
    func passwordReset(tokenHash: String) async throws -> (PasswordResetLink, User)?
    /// In one transaction, if the link is still unused: marks it used at `at`, sets its account's
    /// password hash and ends the account's sessions. False if it was used meanwhile.
    func usePasswordReset(tokenHash: String, passwordHash: String, at: String) async throws -> Bool

    /// Failed sign-ins counted under each of `keys` that has any (`SignInThrottle`).
    func signInFailures(keys: [String]) async throws -> [String: SignInFailures]
    /// One more failed sign-in under each of `keys`, at `now`; counts older than
    /// `SignInThrottle.forgetAfter` start again from one.
    func recordSignInFailure(keys: [String], at now: Date) async throws
    /// Forgets the failures counted under `key` (a successful sign-in).
    func forgetSignInFailures(key: String) async throws
    /// Removes counts whose last failure is older than `before`; returns how many.
    @discardableResult func purgeSignInFailures(before: Date) async throws -> Int
}

/// The audit trail of authorisation decisions.
/// A one-time link to set a password, as stored: the digest of its secret, never the secret.
public struct PasswordResetLink: Sendable, Equatable {
    public var tokenHash: String
    public var userId: String
    /// The administrator who made it.
    public var issuedBy: String
    public var issuedAt: String
    public var expiresAt: String
    public var usedAt: String?

    public init(
        tokenHash: String, userId: String, issuedBy: String, issuedAt: String, expiresAt: String,
        usedAt: String? = nil
    ) {
        self.tokenHash = tokenHash
        self.userId = userId
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// Failed sign-ins under one key of `SignInThrottle`.
public struct SignInFailures: Sendable, Equatable {
    public var count: Int
    public var last: Date

    public init(count: Int, last: Date) {
        self.count = count
        self.last = last
    }
}

public protocol AuditRepository: Sendable {
    func record(_ event: AuditEvent) async throws
    /// The latest events, newest first.
    func recent(limit: Int, deniedOnly: Bool) async throws -> [AuditEvent]
}

/// Small settings the system keeps about itself.
public protocol SettingsRepository: Sendable {
    func value(_ key: String) async throws -> String?
    func set(_ key: String, to value: String) async throws
    /// The stored value; if there is none, stores `value` first. Two callers racing get the same answer.
    /// `changes` is what a first store changes of what the public reads (the log's identity is
    /// shown on every page of the log; a secret is shown nowhere).
    func value(_ key: String, insertingIfAbsent value: String, changes: ChangeTags) async throws -> String
}
