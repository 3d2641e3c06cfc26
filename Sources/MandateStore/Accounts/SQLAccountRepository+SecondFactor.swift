import MandateCore
import SQLKit

/// Second factors and recovery codes (`users.totp_*`, `recovery_codes`, migration 019).
extension SQLAccountRepository {
    public func secondFactor(userId: String) async throws -> SecondFactorRecord? {
        try await database.read { db in
            guard
                let row = try await db.select().columns("totp_secret", "totp_pending", "totp_last_step").from("users")
                    .where("id", .equal, userId).first()
            else { return nil }
            let left = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("recovery_codes").where("user_id", .equal, userId).where("used_at", .is, SQLLiteral.null)
                .first(decodingColumn: "n", as: Int.self)
            return SecondFactorRecord(
                secret: try row.decode(column: "totp_secret", as: String?.self),
                pending: try row.decode(column: "totp_pending", as: String?.self),
                lastStep: try row.decode(column: "totp_last_step", as: Int64?.self), recoveryCodesLeft: left ?? 0)
        }
    }

    public func offerSecondFactor(userId: String, secret: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.update("users").set("totp_pending", to: secret).where("id", .equal, userId).run()
        }
    }

    public func enableSecondFactor(
        userId: String, secret: String, step: Int64, recoveryCodeHashes: [String]
    )
        async throws -> Bool
    {
        try await database.transaction { db -> Bool in
            ChangeRecorder.note(.nothingPublic)
            let enabled = try await db.update("users").set("totp_secret", to: secret)
                .set("totp_pending", to: SQLLiteral.null).set("totp_last_step", to: step)
                .where("id", .equal, userId).where("totp_pending", .equal, secret)
                .returning("id").first()
            guard enabled != nil else { return false }
            try await db.delete(from: "recovery_codes").where("user_id", .equal, userId).run()
            if !recoveryCodeHashes.isEmpty {
                let insert = db.insert(into: "recovery_codes").columns("user_id", "code_hash")
                for hash in recoveryCodeHashes { insert.values(userId, hash) }
                try await insert.run()
            }
            return true
        }
    }

    public func useSecondFactorStep(userId: String, step: Int64) async throws -> Bool {
        try await database.transaction { db -> Bool in
            ChangeRecorder.note(.nothingPublic)
            return try await db.update("users").set("totp_last_step", to: step).where("id", .equal, userId)
                .where {
                    $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, step)
                }
                .returning("id").first() != nil
        }
    }

    public func useRecoveryCode(userId: String, codeHash: String, at: String) async throws -> Bool {
        try await database.transaction { db -> Bool in
            ChangeRecorder.note(.nothingPublic)
            return try await db.update("recovery_codes").set("used_at", to: at).where("user_id", .equal, userId)
                .where("code_hash", .equal, codeHash).where("used_at", .is, SQLLiteral.null)
                .returning("user_id").first() != nil
        }
    }

    public func resetSecondFactor(userId: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.update("users").set("totp_secret", to: SQLLiteral.null)
                .set("totp_pending", to: SQLLiteral.null).set("totp_last_step", to: SQLLiteral.null)
                .where("id", .equal, userId).run()
            try await db.delete(from: "recovery_codes").where("user_id", .equal, userId).run()
            try await db.delete(from: "sessions").where("user_id", .equal, userId).run()
        }
    }
}
