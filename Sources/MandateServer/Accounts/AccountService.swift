import Foundation
import Logging
import MandateCore
import MandateStore

/// Sign-in, sessions, API tokens and new accounts: the rules around the account repository.
public struct AccountService: Sendable {
    let accounts: any AccountRepository
    let hasher: PasswordHasher
    let settings: any SettingsRepository
    let clock: AppClock
    /// Whether the demo's accounts are exempt from the second factor (while the server runs its
    /// demo: `SecondFactor`).
    let demo: Bool
    /// The throttle's secret, read once.
    private let throttleSecret = ReadOnce<String>()

    public init(
        accounts: any AccountRepository, settings: any SettingsRepository, hasher: PasswordHasher, clock: AppClock,
        demo: Bool = false
    ) {
        self.accounts = accounts
        self.settings = settings
        self.clock = clock
        self.hasher = hasher
        self.demo = demo
    }

    /// A new session and the cookie value that proves it.
    public struct SignIn: Sendable {
        public let cookieValue: String
        public let session: Session
        public let user: User
    }

    /// What a right password leads to.
    public enum SignInOutcome: Sendable {
        case signedIn(SignIn)
        /// The account has a second factor and no code came with the password: `challenge` carries
        /// the proof of the password to `completeSignIn` for a few minutes.
        case codeNeeded(challenge: String)

        /// The new session, when the sign-in is done.
        public var signedIn: SignIn? {
            if case .signedIn(let signIn) = self { return signIn }
            return nil
        }
    }

    /// Checks the password, then the second factor's `code` if the account has one; on success
    /// starts a fresh session (a new id at every sign-in). Returns nil for a wrong e-mail or
    /// password; throws 401 for a wrong code, and 429 with `Retry-After` while `SignInThrottle`
    /// slows the account from this client, or this client.
    public func signIn(
        email: String, password: String, code: String? = nil, client: String
    ) async throws
        -> SignInOutcome?
    {
        let normalised = (try? EmailAddress.normalised(email)) ?? ""
        let keys = try await throttleKeys(email: normalised, client: client)
        let now = clock.date()
        let counted = try await throttle(
            [(keys.account, SignInThrottle.accountFromClient), (keys.client, SignInThrottle.client)], now: now)
        let credentials = normalised.isEmpty ? nil : try await accounts.credentials(email: normalised)
        // Verify against a decoy when there is no account, so timing does not reveal which exist.
        // What bcrypt would cut (past 72 bytes, from a NUL) is wrong whatever its beginning.
        var valid = false
        if PasswordPolicy.mayMatch(password) {
            valid = try await hasher.verify(password, hash: credentials?.passwordHash ?? PasswordHasher.decoy)
        }
        guard valid, let credentials, credentials.user.active else {
            // The wait runs from the failure's answer, not from when the hashing began.
            try await accounts.recordSignInFailure(keys: [keys.account, keys.client], at: clock.date())
            return nil
        }
        if counted[keys.account] != nil { try await accounts.forgetSignInFailures(key: keys.account) }
        if let secret = credentials.totpSecret {
            guard let code, !code.isEmpty else {
                return .codeNeeded(challenge: try await challenge(for: credentials, now: now))
            }
            try await checkSecondFactor(
                code, of: credentials.user, secret: secret, lastStep: credentials.totpLastStep, client: client)
        }
        return .signedIn(try await startSession(for: credentials.user, now: clock.date()))
    }

    /// A fresh session for `user`.
    func startSession(for user: User, now: Date) async throws -> SignIn {
        let secret = Secrets.random()
        let session = Session(
            idHash: Secrets.hash(secret), userId: user.id, csrfToken: Secrets.random(),
            createdAt: Timestamp.string(now),
            expiresAt: Timestamp.string(now.addingTimeInterval(CredentialLifetimes.sessionAbsolute)))
        try await accounts.createSession(session)
        return SignIn(cookieValue: secret, session: session, user: user)
    }

    /// The failures counted under `rules`' keys; throws 429 with `Retry-After` while any of them
    /// waits (`SignInThrottle`).
    func throttle(
        _ rules: [(key: String, rule: SignInThrottle)], now: Date
    ) async throws -> [String: SignInFailures] {
        let counted = try await accounts.signInFailures(keys: rules.map(\.key))
        let waits = rules.compactMap { key, rule in
            counted[key].flatMap { rule.retryAfter(failures: $0.count, lastFailure: $0.last, now: now) }
        }
        if let wait = waits.max() {
            var error = AppError(
                .tooManyRequests, "too-many-attempts", "Too many sign-in attempts",
                detail: "too many failed sign-ins; try again in \(wait) second(s)")
            error.retryAfter = wait
            throw error
        }
        return counted
    }

    /// The throttle's keys for a sign-in: keyed hashes (HMAC-SHA-256 under a secret the database
    /// keeps), so that the table holds neither e-mails nor addresses.
    func throttleKeys(email: String, client: String) async throws -> (account: String, client: String) {
        let secret = try await throttleKey()
        return (
            "account:" + Secrets.keyedHash(email + "\n" + client, key: secret),
            "client:" + Secrets.keyedHash(client, key: secret)
        )
    }

    func throttleKey() async throws -> String {
        try await throttleSecret.value {
            if let kept = try await settings.value(SettingKey.signInThrottleKey) { return kept }
            return try await settings.value(
                SettingKey.signInThrottleKey, insertingIfAbsent: Secrets.random(), changes: .nothingPublic)
        }
    }

    /// The identity a session cookie proves, if it is live.
    public func identity(sessionCookie: String) async throws -> Identity? {
        let now = clock.date()
        guard
            let (session, user) = try await accounts.session(
                idHash: Secrets.hash(sessionCookie), now: Timestamp.string(now),
                seenAfter: Timestamp.string(now.addingTimeInterval(-CredentialLifetimes.sessionIdle)))
        else { return nil }
        if let seen = Timestamp.date(session.lastSeenAt),
            now.timeIntervalSince(seen) >= CredentialLifetimes.touchInterval
        {
            try await accounts.touchSession(idHash: session.idHash, at: Timestamp.string(now))
        }
        var identity = Identity(user: user, via: .session(idHash: session.idHash, csrfToken: session.csrfToken))
        identity.enrolling = mustEnrol(user)
        return identity
    }

    /// The identity an API token proves, if it is live.
    public func identity(bearerToken: String) async throws -> Identity? {
        guard
            let (token, user) = try await accounts.useToken(secretHash: Secrets.hash(bearerToken), at: clock.now())
        else { return nil }
        return Identity(user: user, via: .token(id: token.id))
    }

    /// Ends the identity's account's other sessions (signed in elsewhere), keeping the one it
    /// came with; returns how many ended.
    public func endOtherSessions(of identity: Identity) async throws -> Int {
        var current: String?
        if case .session(let idHash, _) = identity.via { current = idHash }
        return try await accounts.endSessions(userId: identity.user.id, except: current)
    }

    public func signOut(_ identity: Identity) async throws {
        if case .session(let idHash, _) = identity.via {
            try await accounts.deleteSession(idHash: idHash)
        }
    }

    /// A token and its secret, which is shown this once and never stored.
    public struct IssuedToken: Sendable, Codable {
        public let id: String
        public let name: String
        public let token: String
        public let createdAt: String
        public let expiresAt: String
    }

    /// A new token, after the user's password is given again (ASVS 5 V6.2: a new credential is
    /// issued only to someone who proves the current one); it lives `days` (default 90).
    public func issueToken(for user: User, name: String, password: String, days: Int?) async throws -> IssuedToken {
        let name = HumanText.cleaned(name)
        guard (1...100).contains(name.count) else {
            throw ValidationFailure(field: "name", reason: "a token needs a name of 1 to 100 characters")
        }
        let now = clock.date()
        let expiry = try CredentialLifetimes.tokenExpiry(now: now, days: days)
        try await confirm(password, of: user)
        let secret = "mdt_" + Secrets.random()
        let token = APIToken(
            id: UUID().uuidString.lowercased(), userId: user.id, name: name, createdAt: Timestamp.string(now),
            expiresAt: Timestamp.string(expiry))
        try await accounts.createToken(token, secretHash: Secrets.hash(secret))
        return IssuedToken(
            id: token.id, name: name, token: secret, createdAt: token.createdAt, expiresAt: token.expiresAt)
    }

    /// Changes the user's own password after checking the current one; every session of the
    /// account ends, this one too, so that whoever held the old password is signed out.
    public func changePassword(of user: User, current: String, new: String) async throws {
        try await confirm(current, of: user, field: "currentPassword")
        do { try PasswordPolicy.check(new) } catch {
            throw ValidationFailure(error.errors.map { RowError(line: nil, column: "newPassword", reason: $0.reason) })
        }
        guard new != current else {
            throw ValidationFailure(field: "newPassword", reason: "the new password is the current one")
        }
        try await accounts.setPasswordHash(userId: user.id, hash: try await hasher.hash(new))
    }

    /// Throws 403 unless `password` is the user's (hashed on the bounded pool, like a sign-in).
    /// Wrong passwords given again are throttled per account like sign-ins from one client
    /// (`SignInThrottle.accountFromClient`, 429 with `Retry-After`): whoever holds a session cannot
    /// guess its owner's password unslowed (ASVS 5, 6.3.4).
    func confirm(_ password: String, of user: User, field: String = "password") async throws {
        let now = clock.date()
        let key = "confirm:" + Secrets.keyedHash(user.id, key: try await throttleKey())
        let counted = try await throttle([(key, SignInThrottle.accountFromClient)], now: now)
        let credentials = try await accounts.credentials(email: user.email)
        guard let credentials, credentials.user.id == user.id, PasswordPolicy.mayMatch(password),
            try await hasher.verify(password, hash: credentials.passwordHash)
        else {
            try await accounts.recordSignInFailure(keys: [key], at: clock.date())
            throw AppError.forbidden("the \(field == "password" ? "password" : "current password") is wrong")
        }
        if counted[key] != nil { try await accounts.forgetSignInFailures(key: key) }
    }

    /// Creates an account after checking every field.
    public func createUser(
        email: String, displayName: String?, unitCode: String, role: Role, password: String
    )
        async throws -> User
    {
        let email = try EmailAddress.normalised(email)
        try PasswordPolicy.check(password)
        let user = User(
            id: UUID().uuidString.lowercased(), email: email,
            displayName: displayName.map { HumanText.cleaned($0) }?.nonEmpty ?? email, unitCode: unitCode, role: role,
            createdAt: clock.now())
        try await accounts.createUser(user, passwordHash: try await hasher.hash(password))
        return user
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
