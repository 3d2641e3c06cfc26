import Foundation
import MandateCore
import SQLKit

/// A row of `tasks`.
struct TaskRow: Decodable {
    var code: String
    var title: String
    var description: String
    var deliverable: String
    var programmeCode: String
    var orientation: Int?
    var leadUnit: String
    var startDate: String
    var deadline: String
    var origin: String
    var adoptedAt: String?
    var signedOffAt: String?
    var cancelledAt: String?
    var cancelReason: String?
    var illustrative: Bool
    var createdAt: String
    var effectiveDeadline: String
    var workingDeadline: String
    var leadState: String?
    var acceptedSubmittedOn: String?
    var percent: Int?
    var hasReports: Bool
    var titleEn: String?
    var priority: String
    var technologies: String
    var indicators: String

    static let columns = [
        "code", "title", "description", "deliverable", "programme_code", "orientation", "lead_unit", "start_date",
        "deadline", "origin", "adopted_at", "signed_off_at", "cancelled_at", "cancel_reason", "illustrative",
        "created_at", "effective_deadline", "working_deadline", "lead_state", "accepted_submitted_on", "percent",
        "has_reports", "title_en", "priority", "technologies", "indicators",
    ]

    /// The task, without its coordinating units (see `records`).
    var task: ProgrammeTask {
        let epoch = CivilDate(dayNumber: 0)
        return ProgrammeTask(
            code: code, title: title, description: description, deliverable: deliverable, programme: programmeCode,
            orientation: orientation, leadUnit: leadUnit, coordinatingUnits: [],
            start: CivilDate(iso: startDate) ?? epoch, deadline: CivilDate(iso: deadline) ?? epoch,
            titleEn: titleEn, priority: TaskPriority(rawValue: priority) ?? .normal,
            technologies: Self.list(technologies), indicators: Self.list(indicators),
            origin: TaskOrigin(rawValue: origin) ?? .assigned,
            adoptedAt: adoptedAt, signedOffAt: signedOffAt,
            cancelledAt: cancelledAt, cancelReason: cancelReason, illustrative: illustrative, createdAt: createdAt)
    }

    /// What a search for the task matches: its code, titles and deliverable, folded.
    static func searchKey(_ task: ProgrammeTask) -> String {
        SearchKey.fold([task.code, task.title, task.titleEn ?? "", task.deliverable].joined(separator: " "))
    }

    /// A `;`-separated column as its codes.
    static func list(_ text: String) -> [String] {
        text.split(separator: ";").map(String.init)
    }

    var progress: TaskProgress {
        let epoch = CivilDate(dayNumber: 0)
        return TaskProgress(
            effectiveDeadline: CivilDate(iso: effectiveDeadline) ?? epoch,
            workingDeadline: CivilDate(iso: workingDeadline) ?? epoch, leadState: leadState.flatMap(ReportState.init),
            acceptedSubmittedOn: acceptedSubmittedOn.flatMap { CivilDate(iso: $0) }, percent: percent,
            hasReports: hasReports)
    }

    static func fetch(_ code: String, on db: any SQLDatabase) async throws -> TaskRecord? {
        guard
            let row = try await db.select().columns(columns).from("tasks").where("code", .equal, code)
                .first(decoding: TaskRow.self, keyDecodingStrategy: .snakeCaseColumns)
        else { return nil }
        return try await records([row], on: db).first
    }

    /// The records of `rows`, with their coordinating units.
    static func records(_ rows: [TaskRow], on db: any SQLDatabase) async throws -> [TaskRecord] {
        guard !rows.isEmpty else { return [] }
        let coordinators = try await coordinators(rows.map(\.code), on: db)
        return rows.map { row in
            var task = row.task
            task.coordinatingUnits = coordinators[row.code] ?? []
            return TaskRecord(task: task, progress: row.progress)
        }
    }

    /// Coordinating units by task, for `codes` (every task when nil).
    static func coordinators(_ codes: [String]?, on db: any SQLDatabase) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        func collect(_ select: SQLSelectBuilder) async throws {
            for row in try await select.orderBy("task_code").orderBy("unit_code").all() {
                result[try row.decode(column: "task_code", as: String.self), default: []].append(
                    try row.decode(column: "unit_code", as: String.self))
            }
        }
        let base = { db.select().columns("task_code", "unit_code").from("task_units").where("lead", .equal, false) }
        if let codes {
            for batch in codes.chunked(into: 1000) { try await collect(base().where("task_code", .in, Array(batch))) }
        } else {
            try await collect(base())
        }
        return result
    }

    static func insert(_ records: [TaskRecord], createdBy: String?, on db: any SQLDatabase) async throws {
        for batch in records.chunked(into: 500) {
            var insert = db.insert(into: "tasks").columns(columns + ["created_by", "search_key"])
            var units = db.insert(into: "task_units").columns("task_code", "unit_code", "lead")
            for record in batch {
                let task = record.task
                let progress = record.progress
                insert = insert.values(
                    [
                        task.code, task.title, task.description, task.deliverable, task.programme, task.orientation,
                        task.leadUnit, task.start.description, task.deadline.description, task.origin.rawValue,
                        task.adoptedAt, task.signedOffAt, task.cancelledAt, task.cancelReason, task.illustrative,
                        task.createdAt,
                        progress.effectiveDeadline.description, progress.workingDeadline.description,
                        progress.leadState?.rawValue, progress.acceptedSubmittedOn?.description, progress.percent,
                        progress.hasReports, task.titleEn, task.priority.rawValue,
                        task.technologies.joined(separator: ";"), task.indicators.joined(separator: ";"), createdBy,
                        searchKey(task),
                    ] as [any Encodable & Sendable])
                units = units.values(task.code, task.leadUnit, true)
                for unit in task.coordinatingUnits { units = units.values(task.code, unit, false) }
            }
            try await insert.run()
            try await units.run()
        }
    }

    static func update(_ progress: TaskProgress, of code: String, on db: any SQLDatabase) async throws {
        try await db.update("tasks")
            .set("effective_deadline", to: progress.effectiveDeadline.description)
            .set("working_deadline", to: progress.workingDeadline.description)
            .set("lead_state", to: progress.leadState?.rawValue)
            .set("accepted_submitted_on", to: progress.acceptedSubmittedOn?.description)
            .set("percent", to: progress.percent).set("has_reports", to: progress.hasReports)
            .markingFactsChanged().where("code", .equal, code).run()
    }
}

/// A row of `task_reports`.
struct ReportRow: Decodable {
    var id: String
    var taskCode: String
    var unitCode: String
    var percent: Int
    var narrative: String
    var links: String
    var state: String
    var createdBy: String?
    var createdAt: String
    var submittedBy: String?
    var submittedAt: String?
    var decidedBy: String?
    var decidedAt: String?
    var decisionComment: String?
    var illustrative: Bool

    static let columns = [
        "id", "task_code", "unit_code", "percent", "narrative", "links", "state", "created_by", "created_at",
        "submitted_by", "submitted_at", "decided_by", "decided_at", "decision_comment", "illustrative",
    ]

    func report(files: [EvidenceFile]) -> TaskReport {
        TaskReport(
            id: id, task: taskCode, unit: unitCode, percent: percent, narrative: narrative,
            links: (try? JSONDecoder().decode([String].self, from: Data(links.utf8))) ?? [], files: files,
            state: ReportState(rawValue: state) ?? .draft, createdBy: createdBy, createdAt: createdAt,
            submittedBy: submittedBy, submittedAt: submittedAt, decidedBy: decidedBy, decidedAt: decidedAt,
            decisionComment: decisionComment, illustrative: illustrative)
    }

    static func fetch(id: String, on db: any SQLDatabase) async throws -> TaskReport? {
        let rows = try await db.select().columns(columns).from("task_reports").where("id", .equal, id)
            .all(decoding: ReportRow.self, keyDecodingStrategy: .snakeCaseColumns)
        return try await withFiles(rows, on: db).first
    }

    /// A task's reports, oldest first.
    static func fetch(task: String, on db: any SQLDatabase, withFiles: Bool = true) async throws -> [TaskReport] {
        let rows = try await db.select().columns(columns).from("task_reports").where("task_code", .equal, task)
            .orderBy("created_at").orderBy("id")
            .all(decoding: ReportRow.self, keyDecodingStrategy: .snakeCaseColumns)
        return withFiles ? try await self.withFiles(rows, on: db) : rows.map { $0.report(files: []) }
    }

    static func withFiles(_ rows: [ReportRow], on db: any SQLDatabase) async throws -> [TaskReport] {
        guard !rows.isEmpty else { return [] }
        var files: [String: [EvidenceFile]] = [:]
        // By name, then SHA-256: the order an accepted report's log fact lists its files in.
        for batch in rows.map(\.id).chunked(into: 1000) {
            for row in try await db.select().columns("report_id", "sha256", "name", "content_type", "size")
                .from("report_files").where("report_id", .in, Array(batch)).orderBy("name").orderBy("sha256").all()
            {
                files[try row.decode(column: "report_id", as: String.self), default: []].append(
                    EvidenceFile(
                        sha256: try row.decode(column: "sha256", as: String.self),
                        name: try row.decode(column: "name", as: String.self),
                        contentType: try row.decode(column: "content_type", as: String.self),
                        size: try row.decode(column: "size", as: Int.self)))
            }
        }
        return rows.map { $0.report(files: files[$0.id] ?? []) }
    }

    static func insert(_ reports: [TaskReport], on db: any SQLDatabase) async throws {
        for batch in reports.chunked(into: 500) {
            var insert = db.insert(into: "task_reports").columns(columns)
            for report in batch {
                let links = String(decoding: try JSONEncoder().encode(report.links), as: UTF8.self)
                insert = insert.values(
                    [
                        report.id, report.task, report.unit, report.percent, report.narrative, links,
                        report.state.rawValue, report.createdBy, report.createdAt, report.submittedBy,
                        report.submittedAt, report.decidedBy, report.decidedAt, report.decisionComment,
                        report.illustrative,
                    ] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }
}

/// A row of `task_extensions`.
struct ExtensionRow: Decodable {
    var id: String
    var taskCode: String
    var unitCode: String
    var requestedDeadline: String
    var reason: String
    var requestedBy: String?
    var requestedAt: String
    var state: String
    var decidedBy: String?
    var decidedAt: String?
    var decisionComment: String?

    static let columns = [
        "id", "task_code", "unit_code", "requested_deadline", "reason", "requested_by", "requested_at", "state",
        "decided_by", "decided_at", "decision_comment",
    ]

    var request: DeadlineExtension {
        DeadlineExtension(
            id: id, task: taskCode, unit: unitCode,
            requestedDeadline: CivilDate(iso: requestedDeadline) ?? CivilDate(dayNumber: 0), reason: reason,
            requestedBy: requestedBy, requestedAt: requestedAt, state: ExtensionState(rawValue: state) ?? .pending,
            decidedBy: decidedBy, decidedAt: decidedAt, decisionComment: decisionComment)
    }

    static func fetch(task: String, on db: any SQLDatabase) async throws -> [DeadlineExtension] {
        try await db.select().columns(columns).from("task_extensions").where("task_code", .equal, task)
            .orderBy("requested_at").orderBy("id")
            .all(decoding: ExtensionRow.self, keyDecodingStrategy: .snakeCaseColumns).map(\.request)
    }

    static func fetch(id: String, on db: any SQLDatabase) async throws -> DeadlineExtension? {
        try await db.select().columns(columns).from("task_extensions").where("id", .equal, id)
            .first(decoding: ExtensionRow.self, keyDecodingStrategy: .snakeCaseColumns)?.request
    }
}
