import ServiceLifecycle

/// Runs a service once the database is prepared. Migrations run when the server starts, after
/// the services have started, so a service that reads the store at once would find no tables on
/// a new database. The log identity is loaded right after the migrations, so its holder tells
/// when they are done; a failed start or a shutdown before then ends the wait, and the service
/// never runs.
struct OncePrepared<Wrapped: Service>: Service, CustomStringConvertible {
    let service: Wrapped
    let prepared: LogIdentityHolder

    func run() async throws {
        let ready = await cancelWhenGracefulShutdown { (try? await prepared.current()) != nil }
        guard ready, !Task.isCancelled else { return }
        try await service.run()
    }

    var description: String { "\(service)" }
}
