import MandateCore
import SQLKit

/// `AccountRepository` on SQLite or PostgreSQL.
public struct SQLAccountRepository: AccountRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    static let userColumns = ["id", "email", "display_name", "unit_code", "role", "active", "created_at"]
    /// A user as read: the stored columns and whether a second factor is set up.
    static let userSelection: [any SQLExpression] =
        userColumns.map { SQLColumn($0) } + [SQLAlias(SQLRaw("(totp_secret IS NOT NULL)"), as: "second_factor")]

    public func createUser(_ user: User, passwordHash: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            let taken = try await db.select().column("id").from("users").where("email", .equal, user.email).first()
            if taken != nil { throw ValidationFailure(field: "email", reason: "\(user.email) already has an account") }
            let unit = try await db.select().column("code").from("units").where("code", .equal, user.unitCode).first()
            if unit == nil { throw ValidationFailure(field: "unit", reason: "unknown unit \"\(user.unitCode)\"") }
            try await db.insert(into: "users").columns(Self.userColumns + ["password_hash"])
                .values(
                    user.id, user.email, user.displayName, user.unitCode, user.role.rawValue, user.active,
                    user.createdAt, passwordHash
                ).run()
        }
    }

    public func credentials(email: String) async throws -> UserCredentials? {
        try await database.read { db in
            guard
                let row = try await db.select()
                    .columns(
                        Self.userSelection + ["password_hash", "totp_secret", "totp_last_step"].map { SQLColumn($0) }
                    )
                    .from("users").where("email", .equal, email).first()
            else { return nil }
            return UserCredentials(
                user: try row.decode(model: UserRow.self, keyDecodingStrategy: .snakeCaseColumns).user,
                passwordHash: try row.decode(column: "password_hash", as: String.self),
                totpSecret: try row.decode(column: "totp_secret", as: String?.self),
                totpLastStep: try row.decode(column: "totp_last_step", as: Int64?.self))
        }
    }

    public func user(id: String) async throws -> User? {
        try await database.read { db in
            try await db.select().columns(Self.userSelection).from("users").where("id", .equal, id)
                .first(decoding: UserRow.self, keyDecodingStrategy: .snakeCaseColumns)?.user
        }
    }

    public func users(unitCode: String?) async throws -> [User] {
        try await database.read { db in
            var select = db.select().columns(Self.userSelection).from("users")
            if let unitCode { select = select.where("unit_code", .equal, unitCode) }
            return try await select.orderBy("email")
                .all(decoding: UserRow.self, keyDecodingStrategy: .snakeCaseColumns).map(\.user)
        }
    }

    public func setPasswordHash(userId: String, hash: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.update("users").set("password_hash", to: hash).where("id", .equal, userId).run()
            // A new password ends every session of the old one.
            try await db.delete(from: "sessions").where("user_id", .equal, userId).run()
        }
    }

    public func createSession(_ session: Session) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.insert(into: "sessions")
                .columns("id_hash", "user_id", "csrf_token", "created_at", "expires_at", "last_seen_at")
                .values(
                    session.idHash, session.userId, session.csrfToken, session.createdAt, session.expiresAt,
                    session.lastSeenAt
                )
                .run()
        }
    }

    public func session(idHash: String, now: String, seenAfter: String) async throws -> (Session, User)? {
        try await database.read { db in
            guard
                let row = try await db.select()
                    .columns(
                        ["id_hash", "user_id", "csrf_token", "created_at", "expires_at", "last_seen_at"].map {
                            SQLColumn($0, table: "s")
                        }
                    )
                    .columns(
                        Self.userColumns.filter { $0 != "created_at" }.map { SQLColumn($0, table: "u") }
                            + [
                                SQLAlias(SQLColumn("created_at", table: "u"), as: SQLIdentifier("user_created_at")),
                                SQLAlias(SQLRaw("(u.totp_secret IS NOT NULL)"), as: SQLIdentifier("second_factor")),
                            ]
                    )
                    .from(SQLAlias(SQLIdentifier("sessions"), as: SQLIdentifier("s")))
                    .join(
                        SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "s"),
                        .equal, SQLColumn("id", table: "u")
                    )
                    .where(SQLColumn("id_hash", table: "s"), .equal, SQLBind(idHash))
                    .where(SQLColumn("expires_at", table: "s"), .greaterThan, SQLBind(now))
                    .where(SQLColumn("last_seen_at", table: "s"), .greaterThan, SQLBind(seenAfter))
                    .where(SQLColumn("active", table: "u"), .equal, SQLBind(true))
                    .first()
            else { return nil }
            let session = Session(
                idHash: try row.decode(column: "id_hash", as: String.self),
                userId: try row.decode(column: "user_id", as: String.self),
                csrfToken: try row.decode(column: "csrf_token", as: String.self),
                createdAt: try row.decode(column: "created_at", as: String.self),
                expiresAt: try row.decode(column: "expires_at", as: String.self),
                lastSeenAt: try row.decode(column: "last_seen_at", as: String.self))
            let user = User(
                id: try row.decode(column: "id", as: String.self),
                email: try row.decode(column: "email", as: String.self),
                displayName: try row.decode(column: "display_name", as: String.self),
                unitCode: try row.decode(column: "unit_code", as: String.self),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                active: try row.decode(column: "active", as: Bool.self),
                createdAt: try row.decode(column: "user_created_at", as: String.self),
                secondFactor: try row.decode(column: "second_factor", as: Bool.self))
            return (session, user)
        }
    }

    public func touchSession(idHash: String, at: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.update("sessions").set("last_seen_at", to: at).where("id_hash", .equal, idHash).run()
        }
    }

    public func endSessions(userId: String, except idHash: String?) async throws -> Int {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            func matching(_ query: some SQLPredicateBuilder) {
                _ = query.where("user_id", .equal, userId)
                if let idHash { _ = query.where("id_hash", .notEqual, idHash) }
            }
            let count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sessions")
            matching(count)
            let ended = try await count.first(decodingColumn: "n", as: Int.self) ?? 0
            let delete = db.delete(from: "sessions")
            matching(delete)
            try await delete.run()
            return ended
        }
    }

    public func setActive(userId: String, _ active: Bool, at: String) async throws -> User? {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.update("users").set("active", to: active).where("id", .equal, userId).run()
            if !active {
                // Its sessions and tokens stop at once, and stay stopped if the account is enabled again.
                try await db.delete(from: "sessions").where("user_id", .equal, userId).run()
                try await db.update("api_tokens").set("revoked_at", to: at).where("user_id", .equal, userId)
                    .where("revoked_at", .is, SQLLiteral.null).run()
            }
            return try await db.select().columns(Self.userSelection).from("users").where("id", .equal, userId)
                .first(decoding: UserRow.self, keyDecodingStrategy: .snakeCaseColumns)?.user
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.delete(from: "sessions").where("id_hash", .equal, idHash).run()
        }
    }

    public func purgeSessions(before now: String) async throws -> Int {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            let expired = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("sessions").where("expires_at", .lessThanOrEqual, now).first(decodingColumn: "n", as: Int.self)
            try await db.delete(from: "sessions").where("expires_at", .lessThanOrEqual, now).run()
            return expired ?? 0
        }
    }

    static let tokenColumns = ["id", "user_id", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]

    public func createToken(_ token: APIToken, secretHash: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.insert(into: "api_tokens").columns(Self.tokenColumns + ["token_hash"])
                .values(
                    token.id, token.userId, token.name, token.createdAt, token.expiresAt, token.lastUsedAt,
                    token.revokedAt, secretHash
                ).run()
        }
    }

    public func tokens(userId: String) async throws -> [APIToken] {
        try await database.read { db in
            try await db.select().columns(Self.tokenColumns).from("api_tokens").where("user_id", .equal, userId)
                .orderBy("created_at").orderBy("id")
                .all(decoding: APIToken.self, keyDecodingStrategy: .snakeCaseColumns)
        }
    }

    public func revokeToken(id: String, userId: String, at: String) async throws -> Bool {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            let live = try await db.select().column("id").from("api_tokens")
                .where("id", .equal, id).where("user_id", .equal, userId).where("revoked_at", .is, SQLLiteral.null)
                .first()
            guard live != nil else { return false }
            try await db.update("api_tokens").set("revoked_at", to: at).where("id", .equal, id).run()
            return true
        }
    }

    public func useToken(secretHash: String, at: String) async throws -> (APIToken, User)? {
        let found: (APIToken, User)? = try await database.read { db in
            guard
                let token = try await db.select().columns(Self.tokenColumns).from("api_tokens")
                    .where("token_hash", .equal, secretHash).where("revoked_at", .is, SQLLiteral.null)
                    .where("expires_at", .greaterThan, at)
                    .first(decoding: APIToken.self, keyDecodingStrategy: .snakeCaseColumns),
                let user = try await db.select().columns(Self.userSelection).from("users")
                    .where("id", .equal, token.userId).where("active", .equal, true)
                    .first(decoding: UserRow.self, keyDecodingStrategy: .snakeCaseColumns)?.user
            else { return nil }
            return (token, user)
        }
        guard let (token, user) = found else { return nil }
        // Recording use costs a write per request, so it is done at most once a minute per token,
        // as for sessions (`CredentialLifetimes.touchInterval`).
        let touchedBefore = Timestamp.date(at)?.addingTimeInterval(-CredentialLifetimes.touchInterval)
        if token.lastUsedAt.map({ $0 < Timestamp.string(touchedBefore ?? .distantPast) }) ?? true {
            try await database.transaction { db in
                ChangeRecorder.note(.nothingPublic)
                try await db.update("api_tokens").set("last_used_at", to: at).where("id", .equal, token.id).run()
            }
        }
        return (token, user)
    }
}

/// A `users` row as stored.
struct UserRow: Decodable {
    var id: String
    var email: String
    var displayName: String
    var unitCode: String
    var role: String
    var active: Bool
    var createdAt: String
    var secondFactor: Bool

    var user: User {
        User(
            id: id, email: email, displayName: displayName, unitCode: unitCode, role: Role(rawValue: role) ?? .viewer,
            active: active, createdAt: createdAt, secondFactor: secondFactor)
    }
}
