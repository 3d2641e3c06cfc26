import ArgumentParser
import Foundation
import Logging
import MandateStore

/// `--database`, shared by every command that touches the data.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "sqlite:PATH or postgres://user:password@host:port/database (default: $DATABASE_URL, else sqlite:mandate.sqlite)"
    )
    var database: String?

    func url() throws -> DatabaseURL {
        let text = database ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? DatabaseURL.default.description
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Opens the database, applies migrations and reference data, runs `work`, and closes it.
    /// `readers`: an SQLite file's reader connections (0 for a bulk load).
    func withStore<T: Sendable>(readers: Int = 4, _ work: @Sendable (Store) async throws -> T) async throws -> T {
        var logger = Logger(label: "mandate")
        logger.logLevel = .warning
        return try await DatabaseConnector.withDatabase(try url(), readers: readers, logger: logger) {
            [logger] database in
            let store = Store(database: database)
            try await store.prepare(demo: false, logger: logger)
            return try await work(store)
        }
    }
}
