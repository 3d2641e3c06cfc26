import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
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
            let (narrative, links) = try input.check(for: record.task, progress: record.progress)
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
            try await Self.check(.attachFile, on: report, in: db)
            try TaskWorkflow.checkNewFile(digest, on: report)
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

    public func editReport(
        _ id: String, percent: Int, narrative: String, links: [String], by actor: Actor
    ) async throws -> TaskReport {
        try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            let record = try await Self.check(.editReport, on: report, in: db)
            ChangeRecorder.note(.taskWrite(record.task))
            let (narrative, links) = try ProgressInput(
                unit: report.unit, percent: percent, narrative: narrative, links: links
            ).check(for: record.task, progress: record.progress)
            try await db.update("task_reports").set("percent", to: percent).set("narrative", to: narrative)
                .set("links", to: String(decoding: try JSONEncoder().encode(links), as: UTF8.self))
                .where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .reportEdited, unit: report.unit, userId: actor.userId, subject: id,
                    detail: "\(percent)%"),
                task: report.task, on: db)
            try await Self.refresh(report.task, on: db)
            return try await Self.requireReport(id, on: db)
        }
    }

    public func withdrawReport(_ id: String, by actor: Actor) async throws {
        try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            ChangeRecorder.note(.taskWrite(try await Self.check(.withdrawReport, on: report, in: db).task))
            // The files' content stays stored by its digest (another report may hold the same).
            try await db.delete(from: "report_files").where("report_id", .equal, id).run()
            try await db.delete(from: "task_reports").where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: .reportWithdrawn, unit: report.unit, userId: actor.userId, subject: id,
                    detail: "\(report.percent)%"),
                task: report.task, on: db)
            try await Self.refresh(report.task, on: db)
        }
    }

    public func submit(_ id: String, by actor: Actor) async throws -> TaskReport {
        try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            ChangeRecorder.note(.taskWrite(try await Self.check(.submitReport, on: report, in: db).task))
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
        let step: TaskStep = accept ? .acceptReport : .returnReport
        let comment = try TaskWorkflow.comment(comment, for: step)
        return try await changing { db in
            let report = try await Self.requireReport(id, on: db)
            let record = try await Self.check(step, on: report, in: db)
            ChangeRecorder.note(.taskWrite(record.task))
            let state: ReportState = accept ? .accepted : .returned
            try await db.update("task_reports").set("state", to: state.rawValue).set("decided_by", to: actor.userId)
                .set("decided_at", to: actor.at).set("decision_comment", to: comment).where("id", .equal, id).run()
            try await Self.log(
                TaskEvent(
                    at: actor.at, kind: accept ? .reportAccepted : .reportReturned, unit: report.unit,
                    userId: actor.userId, subject: id, detail: comment),
                task: report.task, on: db)
            try await Self.refresh(report.task, on: db)
            let decided = try await Self.requireReport(id, on: db)
            if accept {
                let fact = try decided.publishedFact(onIllustrativeTask: record.task.illustrative)
                _ = try await SQLTransparencyLog.append([fact], at: actor.at, in: db)
            }
            return decided
        }
    }

    /// Refuses `step` on `report` unless `TaskWorkflow` allows it in the state its task is in now;
    /// returns the task.
    @discardableResult
    static func check(_ step: TaskStep, on report: TaskReport, in db: any SQLDatabase) async throws -> TaskRecord {
        let record = try await require(report.task, on: db)
        try TaskWorkflow.check(step, in: TaskWorkflow.State(record.task, progress: record.progress).on(report))
        return record
    }
}
