import Foundation
import MandateCore
import Testing

@testable import MandateStore

/// A commit that appends to the transparency log wakes the live events of this instance and,
/// on PostgreSQL, of every instance on the same database.
@Suite struct LogWakeupsTests {
    static func fact(_ number: Int) throws -> PublishedFact {
        try PublishedFact(
            kind: .approvedValue, key: "approved-value/W/01/2026/\(number)",
            fields: ["indicator": "W", "unit": "01", "period": "2026", "value": "\(number)"])
    }

    /// Whether `stream` yields before `seconds` pass (a bound against hanging, not a timing goal).
    static func yields(_ stream: AsyncStream<Void>, within seconds: Int = 20) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCommitThatAppendsWakesAndARolledBackOneDoesNot(_ kind: TestDatabase) async throws {
        try await kind.withStore { store in
            let updates = store.database.logWakeups.updates()
            // A transaction that appended but rolled back signals nothing.
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await store.database.transaction { db in
                    _ = try await store.log.append(try Self.fact(0), in: db)
                    throw Abandon()
                }
            }
            // Nor does one that wrote but appended nothing.
            try await store.settings.set("test.wakeups", to: "1")
            let woken = Task { await Self.yields(updates, within: 2) }
            #expect(await woken.value == false)
            let later = store.database.logWakeups.updates()
            _ = try await store.database.transaction { db in try await store.log.append(try Self.fact(1), in: db) }
            #expect(await Self.yields(later))
        }
    }

    @Test func anotherInstanceOnTheSamePostgreSQLDatabaseIsWoken() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        try await TestDatabase.withFreshPostgres { url in
            try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { first in
                try await Store(database: first).prepare(demo: false, logger: TestDatabase.logger)
                try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { second in
                    let other = try #require(second as? PostgresStoreDatabase)
                    let updates = other.logWakeups.updates()
                    let relay = Task { await other.relayLogNotifications(logger: TestDatabase.logger) }
                    defer { relay.cancel() }
                    // The relay signals once as it starts listening; then only appends do.
                    #expect(await Self.yields(updates))
                    let store = Store(database: first)
                    _ = try await first.transaction { db in try await store.log.append(try Self.fact(2), in: db) }
                    #expect(await Self.yields(updates))
                    relay.cancel()
                    await relay.value
                }
            }
        }
    }
}
