import Hummingbird
import Logging
import MandateStore

/// Holds the audit events of a request's allowed writes so that the write's own transaction
/// records them (see `PendingAudit`); records whatever no transaction took when the request ends.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let audit: any AuditRepository

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Reads decide nothing that is recorded as allowed.
        if request.method == .get || request.method == .head { return try await next(request, context) }
        let pending = PendingAudit()
        do {
            let response = try await PendingAudit.$current.withValue(pending) { try await next(request, context) }
            try await record(pending, context: context)
            return response
        } catch {
            try await record(pending, context: context)
            throw error
        }
    }

    /// Records the events no transaction took, e.g. those of a write refused by validation.
    private func record(_ pending: PendingAudit, context: Context) async throws {
        for event in pending.take() {
            do {
                try await audit.record(event)
            } catch {
                context.logger.error(
                    "recording an audit event failed",
                    metadata: ["action": "\(event.action)", "unit": "\(event.targetUnit ?? "")", "error": "\(error)"])
                throw error
            }
        }
    }
}
