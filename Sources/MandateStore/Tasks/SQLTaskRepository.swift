import Foundation
import MandateCore
import SQLKit

/// `TaskRepository` on SQLite or PostgreSQL.
public struct SQLTaskRepository: TaskRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    // MARK: Programmes

    public func save(_ programme: Programme) async throws {
        try await changing { db in
            // Programme and orientation names show on every task's page.
            ChangeRecorder.note(.everything)
            try await db.insert(into: "programmes").columns("code", "name_vi", "name_en")
                .values(programme.code, programme.nameVi, programme.nameEn)
                .onConflict(with: ["code"]) { $0.set(excludedValueOf: "name_vi").set(excludedValueOf: "name_en") }
                .run()
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
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            let grouped = Dictionary(grouping: orientations, by: \.programmeCode)
            return try await db.select().columns("code", "name_vi", "name_en").from("programmes").orderBy("code")
                .all().map { row in
                    let code = try row.decode(column: "code", as: String.self)
                    return Programme(
                        code: code, nameVi: try row.decode(column: "name_vi", as: String.self),
                        nameEn: try row.decode(column: "name_en", as: String.self),
                        orientations: (grouped[code] ?? []).map {
                            Orientation(number: $0.number, titleVi: $0.titleVi, titleEn: $0.titleEn)
                        })
                }
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
            return TaskRecord(task: task, progress: progress)
        }
    }

    /// Loads content in one transaction: tasks, reports (accepted ones enter the transparency
    /// log), extensions, recommendations, and a history event for each step. For the demo and for
    /// benchmark loads; the content is trusted (it is not checked like a user's input).
    public func load(_ content: DemoTasks.Content) async throws {
        try await changing { db in
            ChangeRecorder.note(.everything)
            try await TaskRow.insert(content.tasks, createdBy: nil, on: db)
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
                ($0.task.code, TaskEvent(at: $0.task.createdAt, kind: .assigned, unit: $0.task.leadUnit, userId: nil))
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
            .map { try $0.publishedFact(illustrative: $0.illustrative || illustrative.contains($0.task)) }
            _ = try await SQLTransparencyLog.append(facts, at: database.clock.now(), in: db)
        }
    }

    public func adopt(_ code: String, by actor: Actor) async throws -> TaskRecord {
        try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            guard record.task.isPendingProposal else {
                throw StateConflict(
                    field: "task",
                    record.task.origin == .assigned
                        ? "task \(code) was assigned, not proposed" : "task \(code) is no longer awaiting adoption")
            }
            try await db.update("tasks").set("adopted_at", to: actor.at).where("code", .equal, code).run()
            try await Self.log(
                TaskEvent(at: actor.at, kind: .adopted, unit: record.task.leadUnit, userId: actor.userId), task: code,
                on: db)
            return try await Self.require(code, on: db)
        }
    }

    public func cancel(_ code: String, reason: String, by actor: Actor) async throws -> TaskRecord {
        let reason = reason.trimmingWhitespace()
        guard !reason.isEmpty, reason.count <= 5000 else {
            throw ValidationFailure(field: "reason", reason: "a reason is required (up to 5,000 characters)")
        }
        return try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            if record.task.cancelledAt != nil {
                throw StateConflict(field: "task", "task \(code) is already cancelled")
            }
            if record.progress.acceptedSubmittedOn != nil {
                throw StateConflict(field: "task", "task \(code) is already accepted")
            }
            try await db.update("tasks").set("cancelled_at", to: actor.at).set("cancel_reason", to: reason)
                .where("code", .equal, code).run()
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
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("tasks")
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
                    .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                let matching = rows.filter {
                    TaskStatus.of($0.task, progress: $0.progress, today: query.today) == status
                }
                let slice = Array(matching.dropFirst(query.offset).prefix(query.limit))
                return Page(
                    items: try await TaskRow.records(slice, on: db), total: matching.count, limit: query.limit,
                    offset: query.offset)
            }
            let total =
                try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let rows = try await filtered(db.select().columns(TaskRow.columns)).orderBy(order[0]).orderBy(order[1])
                .limit(query.limit).offset(query.offset)
                .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(
                items: try await TaskRow.records(rows, on: db), total: total, limit: query.limit, offset: query.offset)
        }
    }

    // MARK: Reports

    public func reports(of task: String) async throws -> [TaskReport] {
        try await database.read { db in try await ReportRow.fetch(task: task, on: db) }
    }

    public func report(_ id: String) async throws -> TaskReport? {
        try await database.read { db in try await ReportRow.fetch(id: id, on: db) }
    }

    public func recordProgress(
        _ input: ProgressInput, on code: String, by actor: Actor, illustrative: Bool
    ) async throws -> TaskReport {
        try await changing { db in
            let record = try await Self.require(code, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            let (narrative, links) = try input.check(for: record.task)
            if record.progress.acceptedSubmittedOn != nil {
                throw StateConflict(field: "task", "task \(code) is already accepted")
            }
            let report = TaskReport(
                id: Self.newId(), task: code, unit: input.unit, percent: input.percent, narrative: narrative,
                links: links, state: .draft, createdBy: actor.userId, createdAt: actor.at, illustrative: illustrative)
            try await ReportRow.insert([report], on: db)
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .progressRecorded, unit: input.unit, userId: actor.userId, subject: report.id,
                    detail: "\(input.percent)%"),
                task: code, on: db)
            try await Self.refresh(code, on: db)
            return report
        }
    }

    public func attach(
        _ content: Data, name: String, contentType: String, to id: String, by actor: Actor
    ) async throws -> TaskReport {
        let name = try EvidenceFile.check(name: name, size: content.count)
        let type = contentType.isEmpty ? "application/octet-stream" : String(contentType.prefix(200))
        let digest = SHA256Hex.of(content)
        return try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            // A draft's files show on its task's page only.
            ChangeRecorder.note([.task(report.task)])
            guard report.state == .draft else {
                throw StateConflict(
                    field: "report", "files attach to a draft report; report \(id) is \(report.state.rawValue)")
            }
            if report.files.contains(where: { $0.sha256 == digest }) {
                throw StateConflict(field: "file", "this file is already attached to report \(id)")
            }
            if report.files.count >= 20 {
                throw ValidationFailure(field: "file", reason: "a report has at most 20 files")
            }
            try await db.insert(into: "evidence_files").columns("sha256", "size", "content")
                .values(digest, content.count, content).ignoringConflicts(with: ["sha256"]).run()
            try await db.insert(into: "report_files").columns("report_id", "sha256", "name", "content_type", "size")
                .values(id, digest, name, type, content.count).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .fileAttached, unit: report.unit, userId: actor.userId, subject: id,
                    detail: "\(name) sha256:\(digest)"),
                task: report.task, on: db)
            return try await Self.requireReport(id, on: db)
        }
    }

    public func file(_ sha256: String) async throws -> (file: EvidenceFile, content: Data)? {
        try await database.read { db in
            guard
                let row = try await db.select()
                    .columns(
                        SQLColumn("content", table: "f"), SQLColumn("name", table: "r"),
                        SQLColumn("content_type", table: "r")
                    )
                    .from(SQLAlias(SQLIdentifier("evidence_files"), as: "f"))
                    .join(
                        SQLAlias(SQLIdentifier("report_files"), as: "r"), method: SQLJoinMethod.inner,
                        on: SQLRaw("r.sha256 = f.sha256")
                    )
                    .where(SQLColumn("sha256", table: "f"), .equal, SQLBind(sha256)).limit(1).first()
            else { return nil }
            let content = try row.decode(column: "content", as: Data.self)
            return (
                EvidenceFile(
                    sha256: sha256, name: try row.decode(column: "name", as: String.self),
                    contentType: try row.decode(column: "content_type", as: String.self), size: content.count),
                content
            )
        }
    }

    public func submit(_ id: String, by actor: Actor) async throws -> TaskReport {
        try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            guard report.state == .draft else {
                throw StateConflict(field: "report", "report \(id) is already \(report.state.rawValue)")
            }
            let record = try await Self.require(report.task, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            if record.task.cancelledAt != nil {
                throw StateConflict(field: "task", "task \(report.task) is cancelled; it takes no reports")
            }
            if record.progress.acceptedSubmittedOn != nil {
                throw StateConflict(field: "task", "task \(report.task) is already accepted")
            }
            try await db.update("task_reports").set("state", to: ReportState.submitted.rawValue)
                .set("submitted_by", to: actor.userId).set("submitted_at", to: actor.at).where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(at: actor.at, kind: .reportSubmitted, unit: report.unit, userId: actor.userId, subject: id),
                task: report.task, on: db)
            try await Self.refresh(report.task, on: db)
            return try await Self.requireReport(id, on: db)
        }
    }

    public func decide(_ id: String, accept: Bool, comment: String?, by actor: Actor) async throws -> TaskReport {
        let comment = comment?.trimmingWhitespace()
        if !accept && (comment ?? "").isEmpty {
            throw ValidationFailure(field: "comment", reason: "say why the report is returned")
        }
        if (comment ?? "").count > 5000 {
            throw ValidationFailure(field: "comment", reason: "a comment has at most 5,000 characters")
        }
        return try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            guard report.state == .submitted else {
                throw StateConflict(
                    field: "report",
                    report.state == .draft
                        ? "report \(id) has not been submitted" : "report \(id) was already \(report.state.rawValue)")
            }
            let record = try await Self.require(report.task, on: db)
            ChangeRecorder.note(.taskWrite(record.task))
            if record.task.cancelledAt != nil { throw StateConflict(field: "task", "task \(report.task) is cancelled") }
            let state: ReportState = accept ? .accepted : .returned
            try await db.update("task_reports").set("state", to: state.rawValue).set("decided_by", to: actor.userId)
                .set("decided_at", to: actor.at).set("decision_comment", to: comment?.isEmpty == true ? nil : comment)
                .where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: accept ? .reportAccepted : .reportReturned, unit: report.unit,
                    userId: actor.userId, subject: id, detail: comment),
                task: report.task, on: db)
            try await Self.refresh(report.task, on: db)
            let decided = try await Self.requireReport(id, on: db)
            if accept {
                let fact = try decided.publishedFact(illustrative: decided.illustrative || record.task.illustrative)
                _ = try await SQLTransparencyLog.append([fact], at: actor.at, in: db)
            }
            return decided
        }
    }

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
            let (deadline, reason) = try input.check(for: record.task, progress: record.progress)
            let pending = try await ExtensionRow.fetch(task: code, on: db).filter { $0.state == .pending }
            if let open = pending.first {
                throw StateConflict(field: "task", "extension \(open.id) of task \(code) is still awaiting a decision")
            }
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
        let comment = comment?.trimmingWhitespace()
        if (comment ?? "").count > 5000 {
            throw ValidationFailure(field: "comment", reason: "a comment has at most 5,000 characters")
        }
        return try await changing { db in
            guard let request = try await ExtensionRow.fetch(id: id, on: db) else {
                throw RecordNotFound("no extension request has id \(id)")
            }
            guard request.state == .pending else {
                throw StateConflict(field: "extension", "extension \(id) was already \(request.state.rawValue)")
            }
            ChangeRecorder.note(.taskWrite(try await Self.require(request.task, on: db).task))
            try await db.update("task_extensions").set(
                "state", to: (grant ? ExtensionState.granted : .refused).rawValue
            )
            .set("decided_by", to: actor.userId).set("decided_at", to: actor.at)
            .set("decision_comment", to: comment?.isEmpty == true ? nil : comment).where("id", .equal, id).run()
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

    // MARK: Recommendations

    public func raise(_ input: RecommendationInput, by actor: Actor, illustrative: Bool) async throws -> Recommendation
    {
        try await changing { db in
            let codes = Set(
                try await db.select().column("code").from("units")
                    .where("code", .in, [input.fromUnit, input.toUnit]).where("active", .equal, true)
                    .all(decodingColumn: "code", as: String.self))
            let today = CivilDate(iso: actor.at) ?? CivilDate(dayNumber: 0)
            let (title, body, due) = try input.check(today: today, isKnownUnit: codes.contains)
            ChangeRecorder.note([.tasks])
            let recommendation = Recommendation(
                id: Self.newId(), fromUnit: input.fromUnit, toUnit: input.toUnit, title: title, body: body, due: due,
                raisedBy: actor.userId, raisedAt: actor.at, illustrative: illustrative)
            try await RecommendationRow.insert([recommendation], on: db)
            return recommendation
        }
    }

    func insert(_ recommendations: [Recommendation], on db: any SQLDatabase) async throws {
        try await RecommendationRow.insert(recommendations, on: db)
    }

    public func answer(_ id: String, text: String, by actor: Actor) async throws -> Recommendation {
        let text = text.trimmingWhitespace()
        guard !text.isEmpty, text.count <= 20_000 else {
            throw ValidationFailure(field: "answer", reason: "an answer is required (up to 20,000 characters)")
        }
        return try await changing { db in
            guard let recommendation = try await RecommendationRow.fetch(id: id, on: db) else {
                throw RecordNotFound("no recommendation has id \(id)")
            }
            if recommendation.isAnswered {
                throw StateConflict(field: "recommendation", "recommendation \(id) was already answered")
            }
            ChangeRecorder.note([.tasks])
            try await db.update("recommendations").set("answer", to: text).set("answered_by", to: actor.userId)
                .set("answered_at", to: actor.at).where("id", .equal, id).run()
            guard let answered = try await RecommendationRow.fetch(id: id, on: db) else { throw RecordNotFound(id) }
            return answered
        }
    }

    public func recommendation(_ id: String) async throws -> Recommendation? {
        try await database.read { db in try await RecommendationRow.fetch(id: id, on: db) }
    }

    public func recommendations(unit: String?, unansweredOnly: Bool, limit: Int) async throws -> [Recommendation] {
        try await database.read { db in
            var select = db.select().columns(RecommendationRow.columns).from("recommendations")
            if let unit {
                select = select.where { $0.where("from_unit", .equal, unit).orWhere("to_unit", .equal, unit) }
            }
            if unansweredOnly { select = select.where("answered_at", .is, SQLLiteral.null) }
            return try await select.orderBy(SQLRaw("CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END"))
                .orderBy("raised_at").orderBy("id").limit(limit)
                .all(decoding: RecommendationRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                .compactMap(\.recommendation)
        }
    }

    // MARK: Published facts

    public func acceptedReportCount() async throws -> Int {
        try await database.read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("task_reports")
                .where("state", .equal, ReportState.accepted.rawValue).first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    public func acceptedReportFacts(limit: Int, offset: Int) async throws -> [PublishedFact] {
        try await database.read { db in
            let rows = try await db.select().columns(ReportRow.columns).from("task_reports")
                .where("state", .equal, ReportState.accepted.rawValue).orderBy("decided_at").orderBy("id")
                .limit(limit).offset(offset)
                .all(decoding: ReportRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let reports = try await ReportRow.withFiles(rows, on: db)
            let codes = Array(Set(reports.map(\.task)))
            var illustrative: Set<String> = []
            for batch in codes.chunked(into: 1000) {
                illustrative.formUnion(
                    try await db.select().column("code").from("tasks").where("code", .in, Array(batch))
                        .where("illustrative", .equal, true).all(decodingColumn: "code", as: String.self))
            }
            return try reports.map {
                try $0.publishedFact(illustrative: $0.illustrative || illustrative.contains($0.task))
            }
        }
    }

    // MARK: Escalation and delivery

    public func escalation(today: CivilDate, limit: Int) async throws -> EscalationBoard {
        try await database.read { db in
            let horizon = today.adding(days: 30).description
            // Open tasks past their deadline or due within 30 days.
            let rows = try await db.select().columns(TaskRow.columns).from("tasks")
                .where("cancelled_at", .is, SQLLiteral.null).where("accepted_submitted_on", .is, SQLLiteral.null)
                .where {
                    $0.where("origin", .equal, TaskOrigin.assigned.rawValue).orWhere(
                        "adopted_at", .isNot, SQLLiteral.null)
                }
                .where {
                    $0.where("effective_deadline", .lessThan, today.description).orWhere(
                        "working_deadline", .lessThanOrEqual, horizon)
                }
                .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let returned = try await db.select().columns(ReportRow.columns.map { SQLColumn($0, table: "r") })
                .from(SQLAlias(SQLIdentifier("task_reports"), as: "r"))
                .where(SQLColumn("state", table: "r"), .equal, SQLBind(ReportState.returned.rawValue))
                .where(
                    SQLRaw(
                        "NOT EXISTS (SELECT 1 FROM task_reports s WHERE s.task_code = r.task_code AND s.unit_code = r.unit_code AND s.submitted_at > r.decided_at)"
                    )
                )
                .all(decoding: ReportRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let unanswered = try await db.select().columns(RecommendationRow.columns).from("recommendations")
                .where("answered_at", .is, SQLLiteral.null)
                .all(decoding: RecommendationRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return EscalationBoard.build(
                tasks: rows.map { ($0.task, $0.progress) }, returned: returned.map { $0.report(files: []) },
                recommendations: unanswered.compactMap(\.recommendation), today: today, limit: limit)
        }
    }

    public func dataVersion() async throws -> Int64 {
        try await database.read { db in try await DataVersion.read(DataVersion.tasks, on: db) }
    }

    public func deliveryFacts() async throws -> [DeliveryFacts] {
        try await database.read { db in
            let rows = try await db.select().columns(TaskRow.columns).from("tasks")
                .where("cancelled_at", .is, SQLLiteral.null)
                .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            let coordinators = try await TaskRow.coordinators(nil, on: db)
            // Each (task, unit, month) with a submitted report, the month as `DeliveryMeasures.monthIndex`
            // (year × 12 + month − 1) computed by the database, and read column by column: at national
            // scale these are hundreds of thousands of rows.
            let monthIndex = SQLRaw(
                "CAST(substr(submitted_at, 1, 4) AS INTEGER) * 12 + CAST(substr(submitted_at, 6, 2) AS INTEGER) - 1")
            var submitted: [String: [String: Set<Int>]] = [:]
            for row in try await db.select().column("task_code").column("unit_code").column(monthIndex, as: "month")
                .from("task_reports").where("submitted_at", .isNot, SQLLiteral.null)
                .groupBy("task_code").groupBy("unit_code").groupBy(SQLRaw("3")).all()
            {
                let task = try row.decode(column: "task_code", as: String.self)
                let unit = try row.decode(column: "unit_code", as: String.self)
                submitted[task, default: [:]][unit, default: []].insert(try row.decode(column: "month", as: Int.self))
            }
            return rows.map { row in
                var task = row.task
                task.coordinatingUnits = coordinators[task.code] ?? []
                return DeliveryFacts(task: task, progress: row.progress, submittedMonths: submitted[task.code] ?? [:])
            }
        }
    }

    // MARK: Helpers

    /// A write: one transaction that also bumps the task data version.
    func changing<T: Sendable>(_ work: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in
            let result = try await work(db)
            try await DataVersion.bump(DataVersion.tasks, on: db)
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
