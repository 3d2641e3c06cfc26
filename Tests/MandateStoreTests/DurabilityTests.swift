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
