import Foundation
import MandateCore
import SQLKit

/// Failed sign-ins per throttle key (`sign_in_failures`, migration 012).
extension SQLAccountRepository {
    public func signInFailures(keys: [String]) async throws -> [String: SignInFailures] {
        guard !keys.isEmpty else { return [:] }
        return try await database.read { db in try await Self.failures(keys, on: db) }
    }

    /// The counts stored under `keys`, on a connection already open.
    static func failures(_ keys: [String], on db: any SQLDatabase) async throws -> [String: SignInFailures] {
        var found: [String: SignInFailures] = [:]
        let rows = try await db.select().columns("key", "failures", "last_failure_at").from("sign_in_failures")
            .where("key", .in, keys).all()
        for row in rows {
            let last = Timestamp.date(try row.decode(column: "last_failure_at", as: String.self)) ?? .distantPast
            found[try row.decode(column: "key", as: String.self)] = SignInFailures(
                count: try row.decode(column: "failures", as: Int.self), last: last)
        }
        return found
    }

    public func recordSignInFailure(keys: [String], at now: Date) async throws {
        guard !keys.isEmpty else { return }
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            let previous = try await Self.failures(keys, on: db)
            for key in keys {
                let count = SignInThrottle.failures(
                    after: previous[key]?.count ?? 0, lastFailure: previous[key]?.last, now: now)
                if previous[key] == nil {
                    try await db.insert(into: "sign_in_failures").columns("key", "failures", "last_failure_at")
                        .values(key, count, Timestamp.string(now)).run()
                } else {
                    try await db.update("sign_in_failures").set("failures", to: count)
                        .set("last_failure_at", to: Timestamp.string(now)).where("key", .equal, key).run()
                }
            }
        }
    }

    public func forgetSignInFailures(key: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.delete(from: "sign_in_failures").where("key", .equal, key).run()
        }
    }

    public func purgeSignInFailures(before: Date) async throws -> Int {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            let cutoff = Timestamp.string(before)
            let old = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("sign_in_failures").where("last_failure_at", .lessThan, cutoff)
                .first(decodingColumn: "n", as: Int.self)
            try await db.delete(from: "sign_in_failures").where("last_failure_at", .lessThan, cutoff).run()
            return old ?? 0
        }
    }
}
