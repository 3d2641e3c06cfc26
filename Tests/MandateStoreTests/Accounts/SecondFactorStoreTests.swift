import Foundation
import MandateCore
import MandateStore
import Testing

/// The second factor as stored, on SQLite and PostgreSQL: offered, then enabled only as offered;
/// each step's code and each recovery code used once; reset by an administrator.
@Suite struct SecondFactorStoreTests {
    @Test(arguments: TestDatabase.available)
    func aFactorIsEnabledAsOfferedAndEachCodeIsUsedOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            let accounts = store.accounts
            let alice = AccountRepositoryTests.user("alice@example.vn", unit: "BCD", role: .admin)
            try await accounts.createUser(alice, passwordHash: "h")
            #expect(try await accounts.user(id: alice.id)?.secondFactor == false)
            #expect(
                try await accounts.secondFactor(userId: alice.id)
                    == SecondFactorRecord(secret: nil, pending: nil, lastStep: nil, recoveryCodesLeft: 0))

            try await accounts.offerSecondFactor(userId: alice.id, secret: "FIRST")
            try await accounts.offerSecondFactor(userId: alice.id, secret: "SECOND")
            // Only the latest offer can be enabled.
            #expect(
                !(try await accounts.enableSecondFactor(
                    userId: alice.id, secret: "FIRST", step: 10, recoveryCodeHashes: ["r1"])))
            #expect(
                try await accounts.enableSecondFactor(
                    userId: alice.id, secret: "SECOND", step: 10, recoveryCodeHashes: ["r1", "r2"]))
            #expect(
                try await accounts.secondFactor(userId: alice.id)
                    == SecondFactorRecord(secret: "SECOND", pending: nil, lastStep: 10, recoveryCodesLeft: 2))
            #expect(try await accounts.user(id: alice.id)?.secondFactor == true)
            #expect(try await accounts.users(unitCode: "BCD").first { $0.id == alice.id }?.secondFactor == true)
            let credentials = try #require(try await accounts.credentials(email: alice.email))
            #expect(credentials.user.secondFactor && credentials.totpSecret == "SECOND")
            #expect(credentials.totpLastStep == 10)

            // Steps only move forward: the enabling step, an older one and a repeat are refused.
            #expect(!(try await accounts.useSecondFactorStep(userId: alice.id, step: 10)))
            #expect(!(try await accounts.useSecondFactorStep(userId: alice.id, step: 9)))
            #expect(try await accounts.useSecondFactorStep(userId: alice.id, step: 11))
            #expect(!(try await accounts.useSecondFactorStep(userId: alice.id, step: 11)))

            #expect(try await accounts.useRecoveryCode(userId: alice.id, codeHash: "r1", at: "2026-12-06T00:00:00Z"))
            #expect(!(try await accounts.useRecoveryCode(userId: alice.id, codeHash: "r1", at: "2026-12-06T00:00:01Z")))
            #expect(
                !(try await accounts.useRecoveryCode(userId: alice.id, codeHash: "nope", at: "2026-12-06T00:00:01Z")))
            #expect(try await accounts.secondFactor(userId: alice.id)?.recoveryCodesLeft == 1)

            // Set up again: new codes replace the old, the unused one too.
            try await accounts.offerSecondFactor(userId: alice.id, secret: "THIRD")
            #expect(
                try await accounts.enableSecondFactor(
                    userId: alice.id, secret: "THIRD", step: 20, recoveryCodeHashes: ["r3"]))
            #expect(!(try await accounts.useRecoveryCode(userId: alice.id, codeHash: "r2", at: "2026-12-06T00:00:02Z")))
            #expect(try await accounts.secondFactor(userId: alice.id)?.recoveryCodesLeft == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aResetRemovesTheFactorAndEndsTheSessions(database: TestDatabase) async throws {
        try await database.withStore { store in
            let accounts = store.accounts
            let bob = AccountRepositoryTests.user("bob@example.vn", unit: "BCD", role: .committeeAnalyst)
            try await accounts.createUser(bob, passwordHash: "h")
            try await accounts.offerSecondFactor(userId: bob.id, secret: "S")
            _ = try await accounts.enableSecondFactor(userId: bob.id, secret: "S", step: 1, recoveryCodeHashes: ["r"])
            try await accounts.createSession(
                Session(
                    idHash: "s", userId: bob.id, csrfToken: "c", createdAt: "2026-01-01T00:00:00.000Z",
                    expiresAt: "2099-01-01T00:00:00.000Z"))
            let never = "2000-01-01T00:00:00.000Z"
            #expect(
                try await accounts.session(idHash: "s", now: "2026-01-01T00:00:00.000Z", seenAfter: never)?.1
                    .secondFactor == true)
            try await accounts.resetSecondFactor(userId: bob.id)
            #expect(
                try await accounts.secondFactor(userId: bob.id)
                    == SecondFactorRecord(secret: nil, pending: nil, lastStep: nil, recoveryCodesLeft: 0))
            #expect(try await accounts.session(idHash: "s", now: "2026-01-01T00:00:00.000Z", seenAfter: never) == nil)
            #expect(try await accounts.user(id: bob.id)?.secondFactor == false)
        }
    }
}
