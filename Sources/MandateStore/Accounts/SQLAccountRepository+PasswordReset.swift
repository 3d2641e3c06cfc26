import MandateCore
import SQLKit

/// One-time links to set a password (`password_resets`, migration 020).
extension SQLAccountRepository {
    public func createPasswordReset(_ link: PasswordResetLink) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.delete(from: "password_resets").where("user_id", .equal, link.userId)
                .where("used_at", .is, SQLLiteral.null).run()
            try await db.insert(into: "password_resets")
                .columns("token_hash", "user_id", "issued_by", "issued_at", "expires_at")
                .values(link.tokenHash, link.userId, link.issuedBy, link.issuedAt, link.expiresAt).run()
        }
    }

    public func passwordReset(tokenHash: String) async throws -> (PasswordResetLink, User)? {
        try await database.read { db in
            guard
                let row = try await db.select()
                    .columns("user_id", "issued_by", "issued_at", "expires_at", "used_at").from("password_resets")
                    .where("token_hash", .equal, tokenHash).first()
            else { return nil }
            let link = PasswordResetLink(
                tokenHash: tokenHash, userId: try row.decode(column: "user_id", as: String.self),
                issuedBy: try row.decode(column: "issued_by", as: String.self),
                issuedAt: try row.decode(column: "issued_at", as: String.self),
                expiresAt: try row.decode(column: "expires_at", as: String.self),
                usedAt: try row.decode(column: "used_at", as: String?.self))
            guard
                let user = try await db.select().columns(Self.userSelection).from("users")
                    .where("id", .equal, link.userId)
                    .first(decoding: UserRow.self, keyDecodingStrategy: .snakeCaseColumns)?.user
            else { return nil }
            return (link, user)
        }
    }

    public func usePasswordReset(tokenHash: String, passwordHash: String, at: String) async throws -> Bool {
        try await database.transaction { db -> Bool in
            ChangeRecorder.note(.nothingPublic)
            guard
                let used = try await db.update("password_resets").set("used_at", to: at)
                    .where("token_hash", .equal, tokenHash).where("used_at", .is, SQLLiteral.null)
                    .returning("user_id").first(decodingColumn: "user_id", as: String.self)
            else { return false }
            try await db.update("users").set("password_hash", to: passwordHash).where("id", .equal, used).run()
            // A new password ends every session of the old one.
            try await db.delete(from: "sessions").where("user_id", .equal, used).run()
            return true
        }
    }
}
