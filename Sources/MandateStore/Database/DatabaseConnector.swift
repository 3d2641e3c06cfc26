import Logging
import MandateCore
import ServiceLifecycle

/// Opens the database a URL names, with the services it needs running.
public struct OpenedDatabase: Sendable {
    public let database: any MandateDatabase
    /// Background services (the PostgreSQL pool) to run for as long as the database is used.
    public let services: [any Service]
}

public enum DatabaseConnector {
    /// `readers`: an SQLite file's reader connections (0: everything on the one writer connection,
    /// which a bulk load needs; see `SQLiteStoreDatabase.bulkLoad`).
    public static func open(
        _ url: DatabaseURL, readers: Int = 4, clock: AppClock = AppClock(), logger: Logger
    ) async throws -> OpenedDatabase {
        switch url {
        case .sqliteFile(let path):
            return OpenedDatabase(
                database: try await SQLiteStoreDatabase.open(
                    path: path, readers: readers, clock: clock, logger: logger),
                services: [])
        case .sqliteMemory:
            return OpenedDatabase(
                database: try await SQLiteStoreDatabase.open(path: nil, clock: clock, logger: logger), services: [])
        case .postgres(let location):
            let database = try PostgresStoreDatabase(location: location, clock: clock, logger: logger)
            return OpenedDatabase(database: database, services: [database.client])
        }
    }

    /// Opens the database, runs its services for the duration of `work`, then closes it.
    /// For commands that use the database once and exit.
    public static func withDatabase<T: Sendable>(
        _ url: DatabaseURL, readers: Int = 4, clock: AppClock = AppClock(), logger: Logger,
        _ work: @Sendable (any MandateDatabase) async throws -> T
    ) async throws -> T {
        let opened = try await open(url, readers: readers, clock: clock, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in opened.services {
                group.addTask { try await service.run() }
            }
            defer { group.cancelAll() }
            do {
                let result = try await work(opened.database)
                await opened.database.close()
                return result
            } catch {
                await opened.database.close()
                throw error
            }
        }
    }
}
