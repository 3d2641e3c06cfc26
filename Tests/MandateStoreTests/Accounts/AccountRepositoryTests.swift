import Foundation
import MandateCore
import MandateStore
import Testing

@Suite struct AccountRepositoryTests {
    static func user(_ email: String, unit: String = "01", role: Role = .unitReporter) -> User {
        User(
            id: UUID().uuidString.lowercased(), email: email, displayName: email, unitCode: unit, role: role,
            createdAt: AppClock().now())
    }

    @Test(arguments: TestDatabase.available)
    func usersAreCreatedOnceAndFoundByEmail(database: TestDatabase) async throws {
        try await database.withStore { store in
            let alice = Self.user("alice@example.vn")
            try await store.accounts.createUser(alice, passwordHash: "hash-a")
            let found = try #require(try await store.accounts.credentials(email: "alice@example.vn"))
            #expect(found.user == alice && found.passwordHash == "hash-a")
            let duplicate = Self.user("alice@example.vn")
            await #expect(throws: ValidationFailure.self) {
                try await store.accounts.createUser(duplicate, passwordHash: "x")
            }
            let orphan = Self.user("bob@example.vn", unit: "no-such-unit")
            await #expect(throws: ValidationFailure.self) {
                try await store.accounts.createUser(orphan, passwordHash: "x")
            }
            #expect(try await store.accounts.users(unitCode: "01").map(\.email) == ["alice@example.vn"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessionsExpireAndEnd(database: TestDatabase) async throws {
        try await database.withStore { store in
            let alice = Self.user("alice@example.vn")
            try await store.accounts.createUser(alice, passwordHash: "h")
            let session = Session(
                idHash: "s1", userId: alice.id, csrfToken: "c1", createdAt: "2026-01-01T00:00:00.000Z",
                expiresAt: "2026-01-01T12:00:00.000Z")
            try await store.accounts.createSession(session)
            let never = "2000-01-01T00:00:00.000Z"
            let live = try await store.accounts.session(idHash: "s1", now: "2026-01-01T11:59:59.000Z", seenAfter: never)
            #expect(live?.0 == session && live?.1.email == "alice@example.vn")
            #expect(
                try await store.accounts.session(idHash: "s1", now: "2026-01-01T12:00:00.000Z", seenAfter: never) == nil
            )
            // Idle: refused when last seen before `seenAfter`, live again once touched.
            #expect(
                try await store.accounts.session(
                    idHash: "s1", now: "2026-01-01T05:00:00.000Z", seenAfter: "2026-01-01T04:00:00.000Z") == nil)
            try await store.accounts.touchSession(idHash: "s1", at: "2026-01-01T04:30:00.000Z")
            let touched = try await store.accounts.session(
                idHash: "s1", now: "2026-01-01T05:00:00.000Z", seenAfter: "2026-01-01T04:00:00.000Z")
            #expect(touched?.0.lastSeenAt == "2026-01-01T04:30:00.000Z")
            #expect(try await store.accounts.purgeSessions(before: "2026-01-02T00:00:00.000Z") == 1)
            for id in ["s2", "s3", "s4"] {
                try await store.accounts.createSession(
                    Session(
                        idHash: id, userId: alice.id, csrfToken: "c", createdAt: "2026-01-01T00:00:00.000Z",
                        expiresAt: "2099-01-01T00:00:00.000Z"))
            }
            try await store.accounts.deleteSession(idHash: "s2")
            #expect(
                try await store.accounts.session(idHash: "s2", now: "2026-01-01T00:00:00.000Z", seenAfter: never) == nil
            )
            // Ended elsewhere: every other session of the account, not this one.
            #expect(try await store.accounts.endSessions(userId: alice.id, except: "s3") == 1)
            #expect(
                try await store.accounts.session(idHash: "s4", now: "2026-01-01T00:00:00.000Z", seenAfter: never) == nil
            )
            #expect(
                try await store.accounts.session(idHash: "s3", now: "2026-01-01T00:00:00.000Z", seenAfter: never) != nil
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func tokensAreFoundByHashUntilRevoked(database: TestDatabase) async throws {
        try await database.withStore { store in
            let alice = Self.user("alice@example.vn")
            let bob = Self.user("bob@example.vn")
            try await store.accounts.createUser(alice, passwordHash: "h")
            try await store.accounts.createUser(bob, passwordHash: "h")
            let token = APIToken(
                id: "t1", userId: alice.id, name: "ministry sync", createdAt: AppClock().now(),
                expiresAt: "2099-01-01T00:00:00.000Z")
            try await store.accounts.createToken(token, secretHash: "secret-hash")
            let used = try #require(try await store.accounts.useToken(secretHash: "secret-hash", at: AppClock().now()))
            #expect(used.0.id == "t1" && used.1.id == alice.id)
            #expect(try await store.accounts.tokens(userId: alice.id).first?.lastUsedAt != nil)
            #expect(try await store.accounts.revokeToken(id: "t1", userId: bob.id, at: AppClock().now()) == false)
            #expect(try await store.accounts.revokeToken(id: "t1", userId: alice.id, at: AppClock().now()))
            #expect(try await store.accounts.useToken(secretHash: "secret-hash", at: AppClock().now()) == nil)
            #expect(try await store.accounts.revokeToken(id: "t1", userId: alice.id, at: AppClock().now()) == false)
            // Expired: refused from its expiry on.
            try await store.accounts.createToken(
                APIToken(
                    id: "t2", userId: alice.id, name: "short", createdAt: "2026-01-01T00:00:00.000Z",
                    expiresAt: "2026-02-01T00:00:00.000Z"), secretHash: "short-hash")
            #expect(try await store.accounts.useToken(secretHash: "short-hash", at: "2026-01-31T23:59:59.000Z") != nil)
            #expect(try await store.accounts.useToken(secretHash: "short-hash", at: "2026-02-01T00:00:00.000Z") == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDisabledAccountsSessionsAndTokensStopAtOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            let alice = Self.user("alice@example.vn")
            try await store.accounts.createUser(alice, passwordHash: "h")
            try await store.accounts.createSession(
                Session(
                    idHash: "s", userId: alice.id, csrfToken: "c", createdAt: "2026-01-01T00:00:00.000Z",
                    expiresAt: "2099-01-01T00:00:00.000Z"))
            try await store.accounts.createToken(
                APIToken(
                    id: "t", userId: alice.id, name: "sync", createdAt: "2026-01-01T00:00:00.000Z",
                    expiresAt: "2099-01-01T00:00:00.000Z"), secretHash: "th")
            let now = "2026-01-02T00:00:00.000Z"
            let never = "2000-01-01T00:00:00.000Z"
            let disabled = try await store.accounts.setActive(userId: alice.id, false, at: now)
            #expect(disabled?.active == false)
            #expect(try await store.accounts.session(idHash: "s", now: now, seenAfter: never) == nil)
            #expect(try await store.accounts.useToken(secretHash: "th", at: now) == nil)
            // Enabled again, the account has no session or token from before.
            #expect(try await store.accounts.setActive(userId: alice.id, true, at: now)?.active == true)
            #expect(try await store.accounts.session(idHash: "s", now: now, seenAfter: never) == nil)
            #expect(try await store.accounts.useToken(secretHash: "th", at: now) == nil)
            #expect(try await store.accounts.tokens(userId: alice.id).first?.revokedAt == now)
            #expect(try await store.accounts.setActive(userId: "nobody", false, at: now) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func auditKeepsDecisionsNewestFirst(database: TestDatabase) async throws {
        try await database.withStore { store in
            for (index, allowed) in [true, false, false].enumerated() {
                try await store.audit.record(
                    AuditEvent(
                        at: AppClock().now(), userId: "u", role: .unitReporter, userUnit: "01", action: "enter_value",
                        targetUnit: "48", target: "#\(index)", allowed: allowed, reason: allowed ? nil : "no",
                        requestId: nil))
            }
            let denied = try await store.audit.recent(limit: 10, deniedOnly: true)
            #expect(denied.map(\.target) == ["#2", "#1"])
            #expect(try await store.audit.recent(limit: 10, deniedOnly: false).count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func demoAccountsAreCreatedOnce(database: TestDatabase) async throws {
        try await database.withStore(demo: true) { store in
            #expect(try await store.accounts.users(unitCode: "BCD").count == 3)
            try await store.prepare(demo: true, logger: TestDatabase.logger)
            #expect(try await store.accounts.users(unitCode: "BCD").count == 3)
            #expect(try await store.accounts.credentials(email: "head.hanoi@demo.mandate.vn")?.user.role == .unitHead)
        }
    }
}
