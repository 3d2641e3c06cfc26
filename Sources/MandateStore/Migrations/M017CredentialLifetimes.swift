import Foundation
import MandateCore
import SQLKit

/// API tokens expire and sessions end when idle (`CredentialLifetimes`): each token gets its
/// expiry (the tokens issued before get the default lifetime from now), each session the time of
/// its last use (its sign-in, for the sessions open now).
struct M017CredentialLifetimes: Migration {
    let name = "017-credential-lifetimes"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "api_tokens").column("expires_at", type: ColumnType.timestamp).run()
        let expiry = try CredentialLifetimes.tokenExpiry(now: Date(), days: nil)
        try await db.update("api_tokens").set("expires_at", to: Timestamp.string(expiry)).run()
        try await db.alter(table: "sessions").column("last_seen_at", type: ColumnType.timestamp).run()
        try await db.update("sessions").set("last_seen_at", to: SQLColumn("created_at")).run()
    }
}
