import Foundation
import MandateCore
import MandateStore
import SQLKit
import Testing

@Suite struct DurabilityTests {
    @Test func sqliteFileIsInWALModeWithFullSync() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mandate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = DatabaseURL.sqliteFile(path: folder.appendingPathComponent("d.sqlite").path)
        try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { database in
            let (mode, sync) = try await database.transaction { db in
                let mode = try await db.raw("PRAGMA journal_mode").first(
                    decodingColumn: "journal_mode", as: String.self)
                let sync = try await db.raw("PRAGMA synchronous").first(decodingColumn: "synchronous", as: Int.self)
                return (mode, sync)
            }
            #expect(mode == "wal")
            #expect(sync == 2)  // FULL
        }
    }

    /// The journal mode a transaction on `database` sees.
    static func journalMode(_ database: any MandateDatabase) async throws -> String? {
        try await database.transaction { db in
            try await db.raw("PRAGMA journal_mode").first(decodingColumn: "journal_mode", as: String.self)
        }
    }

    static func settingsCount(_ database: any MandateDatabase) async throws -> Int? {
        try await database.read { db in
            try await db.raw("SELECT count(*) AS n FROM settings").first(decodingColumn: "n", as: Int.self)
        }
    }

    /// A bulk load on the only connection to the file writes in rollback-journal mode and leaves the
    /// file in WAL mode, whether it commits or fails (and then writes nothing).
    @Test func aBulkLoadAloneWritesWithARollbackJournalAndReturnsToWAL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mandate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("d.sqlite").path
        let url = DatabaseURL.sqliteFile(path: path)
        try await DatabaseConnector.withDatabase(url, logger: TestDatabase.logger) { database in
            try await Store(database: database).prepare(demo: false, logger: TestDatabase.logger)
        }
        try await DatabaseConnector.withDatabase(url, readers: 0, logger: TestDatabase.logger) { database in
            let before = try await Self.settingsCount(database)
            let inside = try await database.bulkLoad {
                try await database.transaction { db in
                    try await db.insert(into: "settings").columns("key", "value").values("bulk", "1").run()
                }
                return try await Self.journalMode(database)
            }
            #expect(inside == "delete")
            #expect(try await Self.journalMode(database) == "wal")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.bulkLoad {
                    try await database.transaction { db in
                        try await db.insert(into: "settings").columns("key", "value").values("failed", "1").run()
                        throw Boom()
                    }
                }
            }
            #expect(try await Self.journalMode(database) == "wal")
            #expect(try await Self.settingsCount(database) == (before ?? 0) + 1)
        }
        // Another connection to the file (a running server): the load stays in WAL mode.
        let other = try await SQLiteStoreDatabase.open(path: path, readers: 0, logger: TestDatabase.logger)
        _ = try await Self.settingsCount(other)
        try await DatabaseConnector.withDatabase(url, readers: 0, logger: TestDatabase.logger) { database in
            let inside = try await database.bulkLoad { try await Self.journalMode(database) }
            #expect(inside == "wal")
        }
        await other.close()
    }

    @Test(arguments: TestDatabase.available)
    func aFailedTransactionWritesNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await store.database.transaction { db in
                    try await db.insert(into: "settings").columns("key", "value").values("probe", "1").run()
                    throw Boom()
                }
            }
            let probe = try await store.settings.value("probe")
            #expect(probe == nil)
        }
    }
}
