import MandateStore
import ServiceLifecycle

/// Closes the database's connections at shutdown, after the HTTP server (listed after this
/// service, so stopped before it) has finished its last request.
struct DatabaseCloser: Service {
    let database: any MandateDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
