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

    // MARK: Programmes

    public func save(_ programme: Programme) async throws {
        try await changing { db in
            // Programme and orientation names show on every task's page.
            ChangeRecorder.note(.everything)
            let basis = programme.legalBasis
            try await db.insert(into: "programmes")
                .columns(
                    "code", "name_vi", "name_en", "basis_title", "basis_number", "basis_date", "start_year", "end_year",
                    "archived_at"
                )
                .values(
                    programme.code, programme.nameVi, programme.nameEn, basis?.title, basis?.number,
                    basis?.date.description, programme.startYear, programme.endYear, programme.archivedAt
                )
                .onConflict(with: ["code"]) {
                    $0.set(excludedValueOf: "name_vi").set(excludedValueOf: "name_en")
                        .set(excludedValueOf: "basis_title").set(excludedValueOf: "basis_number")
                        .set(excludedValueOf: "basis_date").set(excludedValueOf: "start_year")
                        .set(excludedValueOf: "end_year").set(excludedValueOf: "archived_at")
                }
                .run()
            // Orientations no longer listed go (`ProgrammeDraft` keeps those tasks name).
            var stale = db.delete(from: "orientations").where("programme_code", .equal, programme.code)
            if !programme.orientations.isEmpty {
                stale = stale.where("number", .notIn, programme.orientations.map(\.number))
            }
            try await stale.run()
            for orientation in programme.orientations {
                try await db.insert(into: "orientations")
                    .columns("programme_code", "number", "title_vi", "title_en")
                    .values(programme.code, orientation.number, orientation.titleVi, orientation.titleEn)
                    .onConflict(with: ["programme_code", "number"]) {
                        $0.set(excludedValueOf: "title_vi").set(excludedValueOf: "title_en")
                    }
                    .run()
            }
        }
    }

    public func programmes() async throws -> [Programme] {
        try await database.read { db in
            struct Row: Decodable {
                var programmeCode: String
                var number: Int
                var titleVi: String
                var titleEn: String
            }
            let orientations = try await db.select().columns("programme_code", "number", "title_vi", "title_en")
                .from("orientations").orderBy("number")
                .all(decoding: Row.self, keyDecodingStrategy: .snakeCaseColumns)
            let grouped = Dictionary(grouping: orientations, by: \.programmeCode)
            return try await db.select()
                .columns(
                    "code", "name_vi", "name_en", "basis_title", "basis_number", "basis_date", "start_year", "end_year",
                    "archived_at"
                )
                .from("programmes").orderBy("code")
                .all().map { row in
                    let code = try row.decode(column: "code", as: String.self)
                    func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
                    var basis: LegalBasis?
                    if let title = try text("basis_title"), let number = try text("basis_number"),
                        let date = try text("basis_date").flatMap({ CivilDate(iso: $0) })
                    {
                        basis = LegalBasis(title: title, number: number, date: date)
                    }
                    return Programme(
                        code: code, nameVi: try row.decode(column: "name_vi", as: String.self),
                        nameEn: try row.decode(column: "name_en", as: String.self),
                        orientations: (grouped[code] ?? []).map {
                            Orientation(number: $0.number, titleVi: $0.titleVi, titleEn: $0.titleEn)
                        }, legalBasis: basis, startYear: try row.decode(column: "start_year", as: Int?.self),
                        endYear: try row.decode(column: "end_year", as: Int?.self), archivedAt: try text("archived_at"))
                }
        }
    }

    public func programme(_ code: String) async throws -> Programme? {
        try await programmes().first { $0.code == code }
    }

    public func outline(of programme: String) async throws -> ProgrammeOutline {
        try await database.read { db in
            var outline = ProgrammeOutline(tasks: [:], indicators: [])
            let isPublic = SQLRaw("(origin = 'assigned' OR signed_off_at IS NOT NULL)")
            for row in try await db.select().column("orientation").column(
                SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
            )
            .from("tasks").where("programme_code", .equal, programme).where(isPublic).groupBy("orientation").all() {
                outline.tasks[try row.decode(column: "orientation", as: Int?.self)] = try row.decode(
                    column: "n", as: Int.self)
            }
            var indicators: Set<String> = []
            for text in try await db.select().distinct().column("indicators").from("tasks")
                .where("programme_code", .equal, programme).where("indicators", .notEqual, "").where(isPublic)
                .all(decodingColumn: "indicators", as: String.self)
            {
                indicators.formUnion(TaskRow.list(text))
            }
            outline.indicators = indicators.sorted()
            return outline
        }
    }

    public func usedOrientations(of programme: String) async throws -> Set<Int> {
        try await database.read { db in
            Set(
                try await db.select().distinct().column("orientation").from("tasks")
                    .where("programme_code", .equal, programme).where("orientation", .isNot, SQLLiteral.null)
                    .all(decodingColumn: "orientation", as: Int.self))
        }
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
