import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
    // MARK: Extensions

    public func extensions(of task: String) async throws -> [DeadlineExtension] {
        try await database.read { db in try await ExtensionRow.fetch(task: task, on: db) }
    }

    public func extensionRequest(_ id: String) async throws -> DeadlineExtension? {
        try await database.read { db in try await ExtensionRow.fetch(id: id, on: db) }
    }

    public func requestExtension(
        _ input: ExtensionInput, on code: String, by actor: Actor
    ) async throws -> DeadlineExtension {
        try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            let (deadline, reason) = try input.check(
                for: record.task, progress: record.progress,
                extensions: try await ExtensionRow.fetch(task: code, on: db))
            let request = DeadlineExtension(
                id: Self.newId(), task: code, unit: record.task.leadUnit, requestedDeadline: deadline, reason: reason,
                requestedBy: actor.userId, requestedAt: actor.at)
            try await db.insert(into: "task_extensions").columns(ExtensionRow.columns)
                .values(
                    request.id, code, request.unit, deadline.description, reason, actor.userId, actor.at,
                    ExtensionState.pending.rawValue, nil as String?, nil as String?, nil as String?
                ).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .extensionRequested, unit: request.unit, userId: actor.userId,
                    subject: request.id, detail: deadline.description),
                task: code, on: db)
            return request
        }
    }

    public func decideExtension(
        _ id: String, grant: Bool, comment: String?, by actor: Actor
    ) async throws -> DeadlineExtension {
        let comment = try TaskWorkflow.comment(comment, for: .decideExtension)
        return try await changing { db in
            guard let request = try await ExtensionRow.fetch(id: id, on: db) else {
                throw RecordNotFound("no extension request has id \(id)")
            }
            let record = try await Self.require(request.task, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            try TaskWorkflow.check(
                .decideExtension, in: TaskWorkflow.State(record.task, progress: record.progress).on(request))
            try await db.update("task_extensions").set(
                "state", to: (grant ? ExtensionState.granted : .refused).rawValue
            )
            .set("decided_by", to: actor.userId).set("decided_at", to: actor.at)
            .set("decision_comment", to: comment).where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: grant ? .extensionGranted : .extensionRefused, unit: request.unit,
                    userId: actor.userId, subject: id, detail: comment),
                task: request.task, on: db)
            try await Self.refresh(request.task, on: db)
            guard let decided = try await ExtensionRow.fetch(id: id, on: db) else { throw RecordNotFound(id) }
            return decided
        }
    }

    public func history(of task: String) async throws -> [TaskEvent] {
        try await database.read { db in
            try await db.select().columns("at", "kind", "unit_code", "user_id", "subject", "detail").from("task_events")
                .where("task_code", .equal, task).orderBy("id").all().map { row in
                    TaskEvent(
                        at: try row.decode(column: "at", as: String.self),
                        kind: TaskEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .assigned,
                        unit: try row.decode(column: "unit_code", as: String?.self),
                        userId: try row.decode(column: "user_id", as: String?.self),
                        subject: try row.decode(column: "subject", as: String?.self),
                        detail: try row.decode(column: "detail", as: String?.self))
                }
        }
    }
}
