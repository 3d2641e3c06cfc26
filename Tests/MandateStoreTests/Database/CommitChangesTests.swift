import Foundation
import MandateCore
import Synchronization
import Testing

@testable import MandateStore

/// What each write tells the commit observers it changed of what the public reads, on every
/// database; and, on PostgreSQL, what another instance hears of it.
@Suite struct CommitChangesTests {
    /// Every commit's changes, in order, as the observers got them.
    final class Heard: Sendable {
        private let changes = Mutex<[ChangeTags]>([])

        init(_ database: any MandateDatabase) {
            database.commits.add { [self] tags in changes.withLock { $0.append(tags) } }
        }

        /// What the commits since the last call were heard to change.
        func take() -> [ChangeTags] {
            changes.withLock { changes in
                defer { changes = [] }
                return changes
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func writesNoOneReadsWithoutSigningInAreNotAnnounced(database: TestDatabase) async throws {
        try await database.withStore { store in
            let heard = Heard(store.database)
            let now = "2026-01-10T08:00:00.000Z"
            do {
                let accounts = store.accounts
                try await accounts.createUser(
                    User(id: "u1", email: "a@b.vn", displayName: "A", unitCode: "01", role: .unitHead, createdAt: now),
                    passwordHash: "x")
                try await accounts.setPasswordHash(userId: "u1", hash: "y")
                try await accounts.createSession(
                    Session(
                        idHash: "s", userId: "u1", csrfToken: "c", createdAt: now, expiresAt: "2026-01-11T00:00:00Z"))
                try await accounts.deleteSession(idHash: "s")
                _ = try await accounts.purgeSessions(before: now)
                try await accounts.createToken(
                    APIToken(id: "t1", userId: "u1", name: "ci", createdAt: now, expiresAt: "2099-01-01T00:00:00.000Z"),
                    secretHash: "h")
                _ = try await accounts.useToken(secretHash: "h", at: now)
                _ = try await accounts.revokeToken(id: "t1", userId: "u1", at: now)
                try await store.audit.record(
                    AuditEvent(
                        at: now, userId: "u1", role: .unitHead, userUnit: "01", action: "enter_value", targetUnit: "01",
                        target: "x", allowed: false, reason: "test", requestId: nil))
                try await store.settings.set("test.key", to: "1")
                // Rolled back: nothing was committed.
                struct Abandon: Error {}
                await #expect(throws: Abandon.self) {
                    try await store.database.transaction { db in
                        try await db.raw("UPDATE units SET name = name").run()
                        ChangeRecorder.note(.everything)
                        throw Abandon()
                    }
                }
            }
            #expect(heard.take().isEmpty)
            // A write that notes nothing changed everything.
            try await store.database.transaction { db in try await db.raw("UPDATE units SET name = name").run() }
            #expect(heard.take() == [.everything])
        }
    }

    @Test(arguments: TestDatabase.available)
    func valuesNameTheirUnitsTheirAncestorsAndTheirIndicators(database: TestDatabase) async throws {
        try await database.withStore { store in
            let heard = Heard(store.database)
            try await store.indicators.save(Fixture.all)
            #expect(heard.take() == [[.definitions]])
            let path = try #require(try await store.units.path(of: "00004")).codes
            #expect(path.count == 3 && path.first == "00004")
            let units = ChangeTags(path.map(ChangeTag.unit))

            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.draft)
            #expect(heard.take() == [[.unit("00004")]])
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "12")], by: Fixture.approved)
            #expect(heard.take() == [units.union([.indicator("BB"), .values, .log])])
            // The population weighs the share online.
            _ = try await store.values.submit([Fixture.input("POP", "00004", "2025", "900")], by: Fixture.draft)
            _ = try await store.values.approve(
                [DataValueKey(indicator: "POP", unit: "00004", period: "2025")], by: "u-head",
                at: "2026-01-11T08:00:00.000Z")
            #expect(
                heard.take() == [
                    [.unit("00004")], units.union([.indicator("POP"), .indicator("ONLINE"), .values, .log]),
                ])
        }
    }

    @Test(arguments: TestDatabase.available)
    func tasksRankingsTheLogAndTheTreeNameWhatTheyChange(database: TestDatabase) async throws {
        try await database.withStore { store in
            let heard = Heard(store.database)
            try await store.tasks.save(TaskFixture.programme)
            #expect(heard.take() == [.everything])
            let task = try TaskFixture.task()
            let write = ChangeTags.taskWrite(task)
            #expect(write == [.task("T1"), .tasks, .unit("01"), .unit("BKHCN")])
            _ = try await store.tasks.create(task, by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "Xong"), on: "T1",
                by: TaskFixture.at("2026-03-20"), illustrative: false)
            _ = try await store.tasks.attach(
                Data("x".utf8), name: "a.pdf", contentType: "application/pdf", to: draft.id,
                by: TaskFixture.at("2026-03-20"))
            _ = try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-03-21"))
            #expect(heard.take() == [write, write, [.task("T1")], write])
            _ = try await store.tasks.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-03-22"))
            #expect(heard.take() == [write.union([.log])])
            _ = try await store.tasks.raise(
                RecommendationInput(fromUnit: "01", toUnit: "BCD", title: "Hướng dẫn", body: "", due: "2026-04-01"),
                by: TaskFixture.at("2026-03-01"), signedOff: true, illustrative: false)
            #expect(heard.take() == [[.tasks]])
            _ = try await store.log.saveCheckpoint(
                StoredCheckpoint(size: 1, root: .zero, note: "note", signedAt: "2026-03-22T09:00:01.000Z"))
            #expect(heard.take() == [[.checkpoint]])
            try await store.rankings.saveMethod(try DemoRankingMethods.all()[0], at: "2026-03-22T09:00:00.000Z")
            #expect(heard.take() == [[.rankings]])
            let unit = try #require(try await store.units.get(code: "00004"))
            try await store.units.save([unit], links: [])
            #expect(heard.take() == [[.units]])
        }
    }

    /// Another instance on the same PostgreSQL database hears each public commit with what it
    /// changed, in commit order; a commit that changed nothing public is not announced.
    @Test func anotherInstanceHearsWhatACommitChanged() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        try await TestDatabase.withFreshPostgres { url in
            try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { first in
                try await Store(database: first).prepare(demo: false, logger: TestDatabase.logger)
                try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { second in
                    let other = try #require(second as? PostgresStoreDatabase)
                    let heard = Heard(other)
                    let relay = Task { await other.relayLogNotifications(logger: TestDatabase.logger) }
                    defer { relay.cancel() }
                    // As it starts listening: whatever came before, everything.
                    #expect(await Self.wait(for: 1, heard) == [.everything])
                    let store = Store(database: first)
                    try await store.settings.set("test.silent", to: "1")
                    _ = try await first.transaction { db in
                        ChangeRecorder.note([.unit("00004"), .task("NV 1/2026")])
                        _ = try await store.log.append(try LogWakeupsTests.fact(3), in: db)
                    }
                    try await first.transaction { db in try await db.raw("UPDATE units SET name = name").run() }
                    #expect(
                        await Self.wait(for: 2, heard) == [[.unit("00004"), .task("NV 1/2026"), .log], .everything])
                    // An instance that names nothing (as before tags were sent) changed everything.
                    #expect(PostgresStoreDatabase.changes(announcedAs: "") == .everything)
                    #expect(PostgresStoreDatabase.changes(announcedAs: "unit:01 feedback") == .everything)
                    let huge = ChangeTags(
                        (0..<1000).map { ChangeTag.task(String(repeating: "x", count: 20) + "\($0)") })
                    #expect(PostgresStoreDatabase.payload(huge) == "everything")
                    relay.cancel()
                    await relay.value
                }
            }
        }
    }

    /// The next `count` changes heard, or fewer if they do not come within a minute (a bound
    /// against hanging, not a timing goal: they come within milliseconds).
    static func wait(for count: Int, _ heard: Heard) async -> [ChangeTags] {
        var got: [ChangeTags] = []
        for _ in 0..<600 {
            got += heard.take()
            if got.count >= count { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return got
    }
}
