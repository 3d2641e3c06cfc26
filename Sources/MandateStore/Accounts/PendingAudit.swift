import MandateCore
import SQLKit
import Synchronization

/// The audit events of a request's allowed writes, held until a transaction records them.
///
/// A request that is allowed to write records the decision in the same transaction as the write
/// itself: one durable commit instead of two, and an audit trail that never shows a write that
/// was rolled back as done without its decision. Both databases' transactions take the pending
/// events first and put them back if they roll back; whatever no transaction took is recorded on
/// its own when the request ends (`AuditMiddleware`), so no decision is ever lost.
public final class PendingAudit: Sendable {
    @TaskLocal public static var current: PendingAudit?

    private let events = Mutex<[AuditEvent]>([])

    public init() {}

    public func add(_ event: AuditEvent) {
        events.withLock { $0.append(event) }
    }

    /// The events not yet recorded, which are no longer pending.
    public func take() -> [AuditEvent] {
        events.withLock { events in
            defer { events = [] }
            return events
        }
    }

    /// Events a rolled-back transaction took, pending again (ahead of any added since).
    func restore(_ taken: [AuditEvent]) {
        guard !taken.isEmpty else { return }
        events.withLock { $0 = taken + $0 }
    }

    /// Takes the pending events of the task under way and inserts them through `db`.
    static func record(on db: any SQLDatabase) async throws -> [AuditEvent] {
        let taken = current?.take() ?? []
        if !taken.isEmpty { try await SQLAuditRepository.insert(taken, on: db) }
        return taken
    }
}
