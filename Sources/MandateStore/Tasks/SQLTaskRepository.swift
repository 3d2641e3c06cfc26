import Foundation
import MandateCore
import SQLKit

/// `TaskRepository` on SQLite or PostgreSQL.
public struct SQLTaskRepository: TaskRepository {
    let database: any MandateDatabase
    /// Every task's delivery facts, kept between reads (one copy per repository).
    let kept = KeptDeliveryFacts()

    public init(database: any MandateDatabase) {
        self.database = database
    }

    // MARK: Tasks

    public func create(_ task: ProgrammeTask, by actor: Actor) async throws -> TaskRecord {
        try await changing { db in
            if try await TaskRow.fetch(task.code, on: db) != nil {
                throw StateConflict(field: "code", "a task with code \(task.code) already exists")
            }
            ChangeRecorder.note(.taskWrite(task))
            let progress = TaskProgress.of(task, reports: [], extensions: [])
            try await TaskRow.insert([TaskRecord(task: task, progress: progress)], createdBy: actor.userId, on: db)
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: task.origin == .proposed ? .proposed : .assigned, unit: task.leadUnit,
                    userId: actor.userId),
                task: task.code, on: db)
            if task.origin == .proposed, task.isSignedOff {
                try await Self.log(
                    TaskEvent(at: actor.at, kind: .signedOff, unit: task.leadUnit, userId: actor.userId),
                    task: task.code, on: db)
            }
            return TaskRecord(task: task, progress: progress)
        }
    }

    public func signOff(_ code: String, by actor: Actor) async throws -> TaskRecord {
        try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            try TaskWorkflow.check(.signOff, in: TaskWorkflow.State(record.task, progress: record.progress))
            try await db.update("tasks").set("signed_off_at", to: actor.at).where("code", .equal, code).run()
            try await Self.log(
                TaskEvent(at: actor.at, kind: .signedOff, unit: record.task.leadUnit, userId: actor.userId),
                task: code, on: db)
            return try await Self.require(code, on: db)
        }
    }

    public func adopt(_ code: String, by actor: Actor) async throws -> TaskRecord {
        try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            try TaskWorkflow.check(.adopt, in: TaskWorkflow.State(record.task, progress: record.progress))
            try await db.update("tasks").set("adopted_at", to: actor.at).markingFactsChanged()
                .where("code", .equal, code).run()
            try await Self.log(
                TaskEvent(at: actor.at, kind: .adopted, unit: record.task.leadUnit, userId: actor.userId), task: code,
                on: db)
            return try await Self.require(code, on: db)
        }
    }

    public func cancel(_ code: String, reason: String, by actor: Actor) async throws -> TaskRecord {
        let reason = try TaskWorkflow.reason(reason)
        return try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            try TaskWorkflow.check(.cancel, in: TaskWorkflow.State(record.task, progress: record.progress))
            try await db.update("tasks").set("cancelled_at", to: actor.at).set("cancel_reason", to: reason)
                .markingFactsChanged().where("code", .equal, code).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .cancelled, unit: record.task.leadUnit, userId: actor.userId, detail: reason),
                task: code, on: db)
            return try await Self.require(code, on: db)
        }
    }

    public func get(_ code: String) async throws -> TaskRecord? {
        try await database.read { db in try await TaskRow.fetch(code, on: db) }
    }

    public func list(_ query: TaskQuery) async throws -> Page<TaskRecord> {
        try await database.read { db in
            /// The tasks that match the query's filters, then those among them shown (`.shown`) or
            /// hidden (`.hidden`: proposals awaiting sign-off outside `query.unsignedUnits`).
            enum Visibility { case any, shown, hidden }
            func filtered(_ select: SQLSelectBuilder, _ visibility: Visibility = .shown) -> SQLSelectBuilder {
                var select = select.from("tasks")
                switch visibility {
                case .any: break
                case .shown:
                    select = select.where { shown in
                        var shown = shown.where("origin", .equal, TaskOrigin.assigned.rawValue)
                            .orWhere("signed_off_at", .isNot, SQLLiteral.null)
                        if !query.unsignedUnits.isEmpty {
                            shown = shown.orWhere("lead_unit", .in, query.unsignedUnits.sorted())
                        }
                        return shown
                    }
                case .hidden:
                    select = select.where("origin", .equal, TaskOrigin.proposed.rawValue)
                        .where("signed_off_at", .is, SQLLiteral.null)
                    if !query.unsignedUnits.isEmpty {
                        select = select.where("lead_unit", .notIn, query.unsignedUnits.sorted())
                    }
                }
                if let programme = query.programme { select = select.where("programme_code", .equal, programme) }
                if let orientation = query.orientation { select = select.where("orientation", .equal, orientation) }
                if let unit = query.unit {
                    select = select.where(
                        "code", .in,
                        SQLSubquery.select {
                            $0.column("task_code").from("task_units").where("unit_code", .equal, unit)
                        })
                }
                let terms = SearchKey.terms(query.search ?? "")
                if !terms.isEmpty {
                    // Every word in the task's code, title or deliverable, or the whole query in the
                    // name of a unit that leads or coordinates it ("ha noi" finds Hà Nội's tasks).
                    let phrase = "%" + terms.joined(separator: " ") + "%"
                    select = select.where { any in
                        any.where { all in
                            terms.reduce(all) { $0.where("search_key", .like, "%\($1)%") }
                        }
                        .orWhere(
                            "code", .in,
                            SQLSubquery.select {
                                $0.column("task_code").from("task_units").where(
                                    "unit_code", .in,
                                    SQLSubquery.select {
                                        $0.column("code").from("units").where("search_key", .like, phrase)
                                    })
                            })
                    }
                }
                return select
            }
            let order: [any SQLExpression] = [SQLRaw("working_deadline"), SQLRaw("code")]
            if let status = query.status {
                // Status depends on the day: filter after deriving it.
                let rows = try await filtered(db.select().columns(TaskRow.columns)).orderBy(order[0]).orderBy(order[1])
                    .all(decoding: TaskRow.self, keyDecodingStrategy: .snakeCaseColumns)
                let matching = rows.filter {
                    TaskStatus.of($0.task, progress: $0.progress, today: query.today) == status
                }
                let slice = Array(matching.dropFirst(query.offset).prefix(query.limit))
                return Page(
                    items: try await TaskRow.records(slice, on: db), total: matching.count, limit: query.limit,
                    offset: query.offset)
            }
            // All that match less the hidden ones: an unfiltered count is then the table's, which the
            // database knows without reading every row, and the hidden ones are read by their index.
            func count(_ visibility: Visibility) async throws -> Int {
                try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), visibility)
                    .first(decodingColumn: "n", as: Int.self) ?? 0
            }
            let total = try await count(.any) - count(.hidden)
            let rows = try await filtered(db.select().columns(TaskRow.columns)).orderBy(order[0]).orderBy(order[1])
                .limit(query.limit).offset(query.offset)
                .all(decoding: TaskRow.self, keyDecodingStrategy: .snakeCaseColumns)
            return Page(
                items: try await TaskRow.records(rows, on: db), total: total, limit: query.limit, offset: query.offset)
        }
    }

    // MARK: Helpers

    /// A write: one transaction that also bumps the task data version and stamps it on the tasks
    /// whose delivery facts the write changed (inserted, or marked by `markingFactsChanged`).
    func changing<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in
            let result = try await work(db)
            try await DataVersion.bump(DataVersion.tasks, on: db)
            try await db.update("tasks")
                .set(
                    "facts_version",
                    to: SQLGroupExpression(
                        db.select().column("version").from("data_versions").where("name", .equal, DataVersion.tasks)
                            .select)
                )
                .where("facts_version", .is, SQLLiteral.null).run()
            return result
        }
    }

    static func newId() -> String {
        UUID().uuidString.lowercased()
    }

    static func require(_ code: String, on db: any SQLDatabase) async throws -> TaskRecord {
        guard let record = try await TaskRow.fetch(code, on: db) else {
            throw RecordNotFound("no task has code \"\(code)\"")
        }
        return record
    }

    static func requireReport(_ id: String, on db: any SQLDatabase) async throws -> TaskReport {
        guard let report = try await ReportRow.fetch(id: id, on: db) else {
            throw RecordNotFound("no report has id \(id)")
        }
        return report
    }

    static func log(_ event: TaskEvent, task: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "task_events")
            .columns("task_code", "at", "kind", "unit_code", "user_id", "subject", "detail")
            .values(task, event.at, event.kind.rawValue, event.unit, event.userId, event.subject, event.detail).run()
    }

    /// Recomputes a task's progress from its facts and stores it on the task's row.
    static func refresh(_ code: String, on db: any SQLDatabase) async throws {
        let record = try await require(code, on: db)
        let progress = TaskProgress.of(
            record.task, reports: try await ReportRow.fetch(task: code, on: db, withFiles: false),
            extensions: try await ExtensionRow.fetch(task: code, on: db))
        try await TaskRow.update(progress, of: code, on: db)
    }
}
