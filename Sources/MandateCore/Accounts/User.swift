/// A person (or a machine client's owner) who signs in; always bound to one unit with one role.
public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// Lower-cased; unique.
    public var email: String
    public var displayName: String
    public var unitCode: String
    public var role: Role
    public var active: Bool
    public var createdAt: String
    /// Whether the account has an authenticator app set up (`TOTP`), so that signing in asks
    /// for its code.
    public var secondFactor: Bool

    public init(
        id: String, email: String, displayName: String, unitCode: String, role: Role, active: Bool = true,
        createdAt: String, secondFactor: Bool = false
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.unitCode = unitCode
        self.role = role
        self.active = active
        self.createdAt = createdAt
        self.secondFactor = secondFactor
    }
}

/// An API token as listed: never its secret, which is shown once at creation.
public struct APIToken: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var userId: String
    public var name: String
    public var createdAt: String
    /// The token is refused from this time on (`CredentialLifetimes.tokenExpiry`).
    public var expiresAt: String
    public var lastUsedAt: String?
    public var revokedAt: String?

    public init(
        id: String, userId: String, name: String, createdAt: String, expiresAt: String, lastUsedAt: String? = nil,
        revokedAt: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A signed-in browser session; stored by the hash of its cookie value.
public struct Session: Codable, Sendable, Hashable {
    public var idHash: String
    public var userId: String
    public var csrfToken: String
    public var createdAt: String
    /// The absolute end (`CredentialLifetimes.sessionAbsolute`).
    public var expiresAt: String
    /// The last request made with it, written at most once a minute (`CredentialLifetimes`).
    public var lastSeenAt: String

    public init(
        idHash: String, userId: String, csrfToken: String, createdAt: String, expiresAt: String,
        lastSeenAt: String? = nil
    ) {
        self.idHash = idHash
        self.userId = userId
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt ?? createdAt
    }
}

/// One authorisation decision on a write, kept for accountability.
public struct AuditEvent: Codable, Sendable, Hashable {
    public var at: String
    public var userId: String?
    public var role: Role?
    public var userUnit: String?
    public var action: String
    public var targetUnit: String?
    public var target: String?
    public var allowed: Bool
    public var reason: String?
    public var requestId: String?

    public init(
        at: String, userId: String?, role: Role?, userUnit: String?, action: String, targetUnit: String?,
        target: String?, allowed: Bool, reason: String?, requestId: String?
    ) {
        self.at = at
        self.userId = userId
        self.role = role
        self.userUnit = userUnit
        self.action = action
        self.targetUnit = targetUnit
        self.target = target
        self.allowed = allowed
        self.reason = reason
        self.requestId = requestId
    }
}
