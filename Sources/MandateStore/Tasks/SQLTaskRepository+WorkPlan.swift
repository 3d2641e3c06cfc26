import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
    /// What `WorkPlan` checks a row against, for each of `codes` that is stored.
    public func workPlanState(of codes: [String]) async throws -> [String: WorkPlan.Stored] {
        try await database.read { db in
            var result: [String: WorkPlan.Stored] = [:]
            for batch in codes.chunked(into: 500) {
                let rows = try await db.select().columns(TaskRow.columns).from("tasks")
                    .where("code", .in, Array(batch))
                    .all(decoding: TaskRow.self, keyDecodingStrategy: .snakeCaseColumns)
                guard !rows.isEmpty else { continue }
                var units: [String: Set<String>] = [:]
                var first: [String: CivilDate] = [:]
                for row in try await db.select().columns("task_code", "unit_code")
                    .column(SQLFunction("MIN", args: SQLColumn("created_at")), as: "first")
                    .from("task_reports").where("task_code", .in, rows.map(\.code))
                    .groupBy("task_code").groupBy("unit_code").all()
                {
                    let task = try row.decode(column: "task_code", as: String.self)
                    units[task, default: []].insert(try row.decode(column: "unit_code", as: String.self))
                    if let day = HanoiTime.day(of: try row.decode(column: "first", as: String.self)) {
                        first[task] = min(first[task] ?? day, day)
                    }
                }
                for record in try await TaskRow.records(rows, on: db) {
                    let code = record.task.code
                    result[code] = WorkPlan.Stored(
                        task: record.task, progress: record.progress, unitsWithReports: units[code] ?? [],
                        firstReportDay: first[code])
                }
            }
            return result
        }
    }

    /// Writes a checked work plan (`WorkPlan.steps`) in one transaction: new tasks with
    /// `reports` on them, revisions and cancellations, each with its history event by `actor`.
    /// Reports, extensions and history already stored are kept as they are; a revised task's
    /// progress is computed again from them.
    public func apply(_ steps: [WorkPlan.Step], reports: [TaskReport], by actor: Actor) async throws {
        try await changing { db in
            ChangeRecorder.note(.everything)
            let byTask = Dictionary(grouping: reports, by: \.task)
            let created = steps.filter { $0.action == .create }.map {
                TaskRecord(
                    task: $0.task,
                    progress: TaskProgress.of($0.task, reports: byTask[$0.task.code] ?? [], extensions: []))
            }
            try await Self.insert(
                DemoTasks.Content(tasks: created, reports: reports, extensions: [], recommendations: []),
                by: actor.userId, clock: database.clock, on: db)
            for step in steps where step.action == .update || step.action == .cancel {
                try await Self.revise(step, by: actor, on: db)
            }
        }
    }

    /// Stores a revision or cancellation of a stored task.
    static func revise(_ step: WorkPlan.Step, by actor: Actor, on db: any SQLDatabase) async throws {
        let task = step.task
        var update = db.update("tasks")
            .set("title", to: task.title).set("title_en", to: task.titleEn).set("description", to: task.description)
            .set("deliverable", to: task.deliverable).set("orientation", to: task.orientation)
            .set("lead_unit", to: task.leadUnit).set("start_date", to: task.start.description)
            .set("deadline", to: task.deadline.description).set("priority", to: task.priority.rawValue)
            .set("technologies", to: task.technologies.joined(separator: ";"))
            .set("indicators", to: task.indicators.joined(separator: ";"))
            .set("search_key", to: TaskRow.searchKey(task))
        if step.action == .cancel {
            update = update.set("cancelled_at", to: actor.at).set("cancel_reason", to: task.cancelReason)
        }
        try await update.markingFactsChanged().where("code", .equal, task.code).run()
        if step.changes.contains("leadUnit") || step.changes.contains("coordinatingUnits") {
            try await db.delete(from: "task_units").where("task_code", .equal, task.code).run()
            var units = db.insert(into: "task_units").columns("task_code", "unit_code", "lead")
                .values(task.code, task.leadUnit, true)
            for unit in task.coordinatingUnits { units = units.values(task.code, unit, false) }
            try await units.run()
        }
        try await refresh(task.code, on: db)
        if !step.changes.isEmpty {
            try await log(
                TaskEvent(
                    at: actor.at, kind: .revised, unit: task.leadUnit, userId: actor.userId,
                    detail: step.changes.joined(separator: ", ")),
                task: task.code, on: db)
        }
        if step.action == .cancel {
            try await log(
                TaskEvent(
                    at: actor.at, kind: .cancelled, unit: task.leadUnit, userId: actor.userId,
                    detail: task.cancelReason),
                task: task.code, on: db)
        }
    }
}
