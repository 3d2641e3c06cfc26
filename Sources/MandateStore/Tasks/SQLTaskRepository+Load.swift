import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
    /// Loads content in one transaction: tasks, reports (accepted ones enter the transparency
    /// log), extensions, recommendations, and a history event for each step. For the demo and for
    /// benchmark loads; the content is trusted (it is not checked like a user's input).
    public func load(_ content: DemoTasks.Content) async throws {
        try await changing { db in
            ChangeRecorder.note(.everything)
            try await Self.insert(content, by: nil, clock: database.clock, on: db)
        }
    }

    /// Writes `content` on `db` (in the caller's transaction): its tasks created by `userId`,
    /// who is named on their `assigned` events; reports, extensions and recommendations as the
    /// content holds them.
    static func insert(
        _ content: DemoTasks.Content, by userId: String?, clock: AppClock, on db: any SQLDatabase
    ) async throws {
        try await TaskRow.insert(content.tasks, createdBy: userId, on: db)
        try await ReportRow.insert(content.reports, on: db)
        for request in content.extensions {
            try await db.insert(into: "task_extensions").columns(ExtensionRow.columns)
                .values(
                    request.id, request.task, request.unit, request.requestedDeadline.description, request.reason,
                    request.requestedBy, request.requestedAt, request.state.rawValue, request.decidedBy,
                    request.decidedAt, request.decisionComment
                ).run()
        }
        try await RecommendationRow.insert(content.recommendations, on: db)
        var events: [(String, TaskEvent)] = content.tasks.map {
            ($0.task.code, TaskEvent(at: $0.task.createdAt, kind: .assigned, unit: $0.task.leadUnit, userId: userId))
        }
        for case (let task, let at?) in content.tasks.map({ ($0.task, $0.task.cancelledAt) }) {
            events.append(
                (
                    task.code,
                    TaskEvent(
                        at: at, kind: .cancelled, unit: task.leadUnit, userId: userId, detail: task.cancelReason)
                ))
        }
        for report in content.reports {
            events.append(
                (
                    report.task,
                    TaskEvent(
                        at: report.createdAt, kind: .progressRecorded, unit: report.unit, userId: nil,
                        subject: report.id, detail: "\(report.percent)%")
                ))
            if let at = report.submittedAt {
                events.append(
                    (
                        report.task,
                        TaskEvent(
                            at: at, kind: .reportSubmitted, unit: report.unit, userId: nil, subject: report.id)
                    ))
            }
            if let at = report.decidedAt {
                events.append(
                    (
                        report.task,
                        TaskEvent(
                            at: at, kind: report.state == .accepted ? .reportAccepted : .reportReturned,
                            unit: report.unit, userId: nil, subject: report.id, detail: report.decisionComment)
                    ))
            }
        }
        for request in content.extensions {
            events.append(
                (
                    request.task,
                    TaskEvent(
                        at: request.requestedAt, kind: .extensionRequested, unit: request.unit, userId: nil,
                        subject: request.id, detail: request.requestedDeadline.description)
                ))
            if let at = request.decidedAt {
                events.append(
                    (
                        request.task,
                        TaskEvent(
                            at: at, kind: request.state == .granted ? .extensionGranted : .extensionRefused,
                            unit: request.unit, userId: nil, subject: request.id)
                    ))
            }
        }
        events.sort { ($0.1.at, $0.0) < ($1.1.at, $1.0) }
        for batch in events.chunked(into: 500) {
            var insert = db.insert(into: "task_events")
                .columns("task_code", "at", "kind", "unit_code", "user_id", "subject", "detail")
            for (task, event) in batch {
                insert = insert.values(
                    [task, event.at, event.kind.rawValue, event.unit, event.userId, event.subject, event.detail]
                        as [any Encodable & Sendable])
            }
            try await insert.run()
        }
        let illustrative = Set(content.tasks.filter(\.task.illustrative).map(\.task.code))
        let facts = try content.reports.filter { $0.state == .accepted }.sorted {
            ($0.decidedAt ?? "", $0.id) < ($1.decidedAt ?? "", $1.id)
        }
        .map { try $0.publishedFact(onIllustrativeTask: illustrative.contains($0.task)) }
        _ = try await SQLTransparencyLog.append(facts, at: clock.now(), in: db)
    }
}
