import Foundation
import Logging
import MandateStore

/// The databases the store suite runs on: SQLite in memory and in a file always; PostgreSQL when
/// `MANDATE_TEST_POSTGRES_URL` is set (each test then gets a database of its own).
enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqliteMemory
    case sqliteFile
    case postgres

    var description: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["MANDATE_TEST_POSTGRES_URL"]

    static var available: [TestDatabase] {
        postgresURL == nil ? [.sqliteMemory, .sqliteFile] : allCases
    }

    static let logger: Logger = {
        var logger = Logger(label: "mandate.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` on a fresh, migrated store with the reference units loaded.
    func withStore(demo: Bool = false, _ body: @Sendable (Store) async throws -> Void) async throws {
        try await withDatabase { database in
            let store = Store(database: database)
            try await store.prepare(demo: demo, logger: Self.logger)
            try await body(store)
        }
    }

    /// Runs `body` on a fresh, empty database.
    func withDatabase(_ body: @Sendable (any MandateDatabase) async throws -> Void) async throws {
        switch self {
        case .sqliteMemory:
            try await DatabaseConnector.withDatabase(.sqliteMemory, logger: Self.logger, body)
        case .sqliteFile:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mandate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = DatabaseURL.sqliteFile(path: folder.appendingPathComponent("test.sqlite").path)
            try await DatabaseConnector.withDatabase(url, logger: Self.logger, body)
        case .postgres:
            try await Self.withFreshPostgres { url in
                try await DatabaseConnector.withDatabase(url, logger: Self.logger, body)
            }
        }
    }

    /// Creates a throwaway database next to the one the URL names, and drops it afterwards.
    static func withFreshPostgres(_ body: @Sendable (DatabaseURL) async throws -> Void) async throws {
        guard let text = postgresURL, case .postgres(var location) = try DatabaseURL(parsing: text) else { return }
        let name = "mandate_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await DatabaseConnector.withDatabase(.postgres(location), logger: logger) { admin in
            try await admin.read { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        }
        location.database = name
        do {
            try await body(.postgres(location))
        } catch {
            try? await dropPostgres(name)
            throw error
        }
        try await dropPostgres(name)
    }

    /// Drops a test database; retried, because `WITH (FORCE)` cannot end a backend of another role
    /// (an autovacuum worker that happens to be on the fresh database) and then fails at once.
    private static func dropPostgres(_ name: String) async throws {
        guard let text = postgresURL else { return }
        for attempt in 1...5 {
            do {
                try await DatabaseConnector.withDatabase(try DatabaseURL(parsing: text), logger: logger) { admin in
                    try await admin.read {
                        try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
                    }
                }
                return
            } catch  where attempt < 5 {
                try await Task.sleep(for: .milliseconds(500 * attempt))
            }
        }
    }
}
