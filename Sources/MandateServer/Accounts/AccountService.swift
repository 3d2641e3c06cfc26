import Foundation
import Logging
import MandateCore
import MandateStore

/// Sign-in, sessions, API tokens and new accounts: the rules around the account repository.
public struct AccountService: Sendable {
    let accounts: any AccountRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let clock: AppClock
    /// How long a session lasts from sign-in.
    let sessionLifetime: TimeInterval = 12 * 3600

    public init(accounts: any AccountRepository, hasher: PasswordHasher, clock: AppClock) {
        self.accounts = accounts
        self.clock = clock
        self.hasher = hasher
        self.throttle = LoginThrottle()
    }

    /// A new session and the cookie value that proves it.
    public struct SignIn: Sendable {
        public let cookieValue: String
        public let session: Session
        public let user: User
    }

    /// Checks the password; on success starts a fresh session (a new id at every sign-in).
    /// Returns nil for wrong credentials; throws 429 after too many recent failures.
    public func signIn(email: String, password: String) async throws -> SignIn? {
        let normalised = (try? EmailAddress.normalised(email)) ?? ""
        if let wait = await throttle.retryAfter(normalised) {
            throw AppError(
                .tooManyRequests, "too-many-attempts", "Too many sign-in attempts",
                detail: "try again in \((wait + 59) / 60) minute(s)")
        }
        let credentials = normalised.isEmpty ? nil : try await accounts.credentials(email: normalised)
        // Verify against a decoy when there is no account, so timing does not reveal which exist.
        let valid = try await hasher.verify(password, hash: credentials?.passwordHash ?? PasswordHasher.decoy)
        guard valid, let credentials, credentials.user.active else {
            await throttle.recordFailure(normalised)
            return nil
        }
        await throttle.recordSuccess(normalised)
        let secret = Secrets.random()
        let now = clock.date()
        let session = Session(
            idHash: Secrets.hash(secret), userId: credentials.user.id, csrfToken: Secrets.random(),
            createdAt: Timestamp.string(now), expiresAt: Timestamp.string(now.addingTimeInterval(sessionLifetime)))
        try await accounts.createSession(session)
        return SignIn(cookieValue: secret, session: session, user: credentials.user)
    }

    /// The identity a session cookie proves, if it is live.
    public func identity(sessionCookie: String) async throws -> Identity? {
        guard
            let (session, user) = try await accounts.session(idHash: Secrets.hash(sessionCookie), now: clock.now())
        else { return nil }
        return Identity(user: user, via: .session(idHash: session.idHash, csrfToken: session.csrfToken))
    }

    /// The identity an API token proves, if it is live.
    public func identity(bearerToken: String) async throws -> Identity? {
        guard
            let (token, user) = try await accounts.useToken(secretHash: Secrets.hash(bearerToken), at: clock.now())
        else { return nil }
        return Identity(user: user, via: .token(id: token.id))
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
    }

    public func issueToken(for user: User, name: String) async throws -> IssuedToken {
        let name = name.trimmingWhitespace()
        guard (1...100).contains(name.count) else {
            throw ValidationFailure(field: "name", reason: "a token needs a name of 1 to 100 characters")
        }
        let secret = "mdt_" + Secrets.random()
        let token = APIToken(
            id: UUID().uuidString.lowercased(), userId: user.id, name: name, createdAt: clock.now())
        try await accounts.createToken(token, secretHash: Secrets.hash(secret))
        return IssuedToken(id: token.id, name: name, token: secret, createdAt: token.createdAt)
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
            displayName: displayName?.trimmingWhitespace().nonEmpty ?? email, unitCode: unitCode, role: role,
            createdAt: clock.now())
        try await accounts.createUser(user, passwordHash: try await hasher.hash(password))
        return user
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
