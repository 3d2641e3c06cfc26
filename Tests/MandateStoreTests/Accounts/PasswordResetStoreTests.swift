import Foundation
import MandateCore
import MandateStore
import Testing

/// One-time links to set a password, as both databases keep them (`password_resets`).
@Suite struct PasswordResetStoreTests {
    @Test(arguments: TestDatabase.available)
    func aLinkSetsThePasswordOnceAndANewerOneReplacesIt(database: TestDatabase) async throws {
        try await database.withStore { store in
            let alice = AccountRepositoryTests.user("alice@example.vn")
            try await store.accounts.createUser(alice, passwordHash: "old")
            try await store.accounts.createSession(
                Session(
                    idHash: "s1", userId: alice.id, csrfToken: "c1", createdAt: "2026-01-01T00:00:00.000Z",
                    expiresAt: "2026-01-01T12:00:00.000Z"))
            func link(_ hash: String) -> PasswordResetLink {
                PasswordResetLink(
                    tokenHash: hash, userId: alice.id, issuedBy: "admin", issuedAt: "2026-01-01T01:00:00.000Z",
                    expiresAt: "2026-01-03T01:00:00.000Z")
            }
            try await store.accounts.createPasswordReset(link("first"))
            let (found, user) = try #require(try await store.accounts.passwordReset(tokenHash: "first"))
            #expect(found == link("first") && user.id == alice.id)
            // A newer link replaces the unused older one.
            try await store.accounts.createPasswordReset(link("second"))
            #expect(try await store.accounts.passwordReset(tokenHash: "first") == nil)
            #expect(try await !store.accounts.usePasswordReset(tokenHash: "first", passwordHash: "x", at: "t"))

            #expect(
                try await store.accounts.usePasswordReset(
                    tokenHash: "second", passwordHash: "new", at: "2026-01-01T02:00:00.000Z"))
            #expect(try await store.accounts.credentials(email: "alice@example.vn")?.passwordHash == "new")
            #expect(
                try await store.accounts.session(
                    idHash: "s1", now: "2026-01-01T02:00:01.000Z", seenAfter: "2000-01-01T00:00:00.000Z") == nil)
            #expect(try await store.accounts.passwordReset(tokenHash: "second")?.0.usedAt == "2026-01-01T02:00:00.000Z")
            // Used: once only; a later link leaves the used one on record.
            #expect(try await !store.accounts.usePasswordReset(tokenHash: "second", passwordHash: "again", at: "t"))
            #expect(try await store.accounts.credentials(email: "alice@example.vn")?.passwordHash == "new")
            try await store.accounts.createPasswordReset(link("third"))
            #expect(try await store.accounts.passwordReset(tokenHash: "second") != nil)
        }
    }
}

@Suite struct PasswordResetRuleTests {
    @Test func aLinkWorksOnceWhileItLastsAndItsAccountIsActive() {
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        let expiry = PasswordReset.expiry(issuedAt: issued)
        #expect(expiry.timeIntervalSince(issued) == 48 * 3600)
        let before = expiry.addingTimeInterval(-1)
        #expect(PasswordReset.refusal(expiresAt: expiry, usedAt: nil, accountActive: true, now: before) == nil)
        #expect(PasswordReset.refusal(expiresAt: expiry, usedAt: nil, accountActive: true, now: expiry) == .expired)
        #expect(PasswordReset.refusal(expiresAt: expiry, usedAt: issued, accountActive: true, now: before) == .used)
        #expect(
            PasswordReset.refusal(expiresAt: expiry, usedAt: nil, accountActive: false, now: before) == .accountDisabled
        )
    }
}
