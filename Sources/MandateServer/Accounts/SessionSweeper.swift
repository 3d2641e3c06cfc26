import Logging
import MandateCore
import MandateStore
import ServiceLifecycle

/// Deletes expired sessions every hour, so the table holds only live ones, and failed sign-in
/// counts old enough to be forgotten (`SignInThrottle.forgetAfter`).
struct SessionSweeper: Service {
    let accounts: any AccountRepository
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        // A graceful shutdown cancels the loop, a purge under way included.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await accounts.purgeSessions(before: clock.now())
                    if removed > 0 { logger.info("removed expired sessions", metadata: ["sessions": "\(removed)"]) }
                    try await accounts.purgeSignInFailures(
                        before: clock.date().addingTimeInterval(-SignInThrottle.forgetAfter))
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("could not remove expired sessions", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
