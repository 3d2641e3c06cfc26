import MandateCore
import SQLKit

/// The SQL engine behind a store; queries that differ between engines switch on it.
public enum SQLFlavor: String, Sendable {
    case sqlite
    case postgres
}

/// A database the repositories run on: reads on any connection, writes in one transaction.
public protocol MandateDatabase: Sendable {
    var flavor: SQLFlavor { get }
    /// The clock every stored instant of this database's writes is read from.
    var clock: AppClock { get }
    /// Signalled after each committed transaction that appended to the transparency log.
    var logWakeups: LogWakeups { get }
    /// Told of every commit (see `CommitObservers`).
    var commits: CommitObservers { get }
    /// The indicator definitions and rules as last read, for as long as they have not changed.
    var definitions: DefinitionCache { get }
    /// The unit tree as last read, for as long as it has not changed.
    var units: UnitTreeCache { get }
    /// Runs read-only work.
    func read<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs read-only work that reads through much of a table once (an export), where caching what
    /// it reads would only displace what the pages read again and again.
    func readOnce<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs work in one transaction: all of it is committed durably, or none of it.
    func transaction<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs a bulk load (`work`, one large transaction) in whatever way writes it fastest.
    func bulkLoad<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T
    /// Checks the database answers.
    func ping() async throws
    /// Closes every connection.
    func close() async
}

extension MandateDatabase {
    /// As any other read, where the engine keeps no cache of its own in this process.
    public func readOnce<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(work)
    }

    /// As any other write, where the engine has no faster way.
    public func bulkLoad<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await work()
    }
}
