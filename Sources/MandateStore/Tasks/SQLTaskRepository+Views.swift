import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
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
                .all(decoding: ReportRow.self, keyDecodingStrategy: .snakeCaseColumns)
            let reports = try await ReportRow.withFiles(rows, on: db)
            let codes = Array(Set(reports.map(\.task)))
            var illustrative: Set<String> = []
            for batch in codes.chunked(into: 1000) {
                illustrative.formUnion(
                    try await db.select().column("code").from("tasks").where("code", .in, Array(batch))
                        .where("illustrative", .equal, true).all(decodingColumn: "code", as: String.self))
            }
            return try reports.map {
                try $0.publishedFact(onIllustrativeTask: illustrative.contains($0.task))
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
                .all(decoding: TaskRow.self, keyDecodingStrategy: .snakeCaseColumns)
            let returned = try await db.select().columns(ReportRow.columns.map { SQLColumn($0, table: "r") })
                .from(SQLAlias(SQLIdentifier("task_reports"), as: "r"))
                .where(SQLColumn("state", table: "r"), .equal, SQLBind(ReportState.returned.rawValue))
                .where(
                    SQLRaw(
                        "NOT EXISTS (SELECT 1 FROM task_reports s WHERE s.task_code = r.task_code AND s.unit_code = r.unit_code AND s.submitted_at > r.decided_at)"
                    )
                )
                .all(decoding: ReportRow.self, keyDecodingStrategy: .snakeCaseColumns)
            let unanswered = try await db.select().columns(RecommendationRow.columns).from("recommendations")
                .where("answered_at", .is, SQLLiteral.null)
                .all(decoding: RecommendationRow.self, keyDecodingStrategy: .snakeCaseColumns)
            return EscalationBoard.build(
                tasks: rows.map { ($0.task, $0.progress) }, returned: returned.map { $0.report(files: []) },
                recommendations: unanswered.compactMap(\.recommendation), today: today, limit: limit)
        }
    }

    public func dataVersion() async throws -> Int64 {
        try await database.read { db in try await DataVersion.read(DataVersion.tasks, on: db) }
    }

    public func deliveryFacts() async throws -> [DeliveryFacts] {
        try await kept.current(on: database).facts.values.filter { $0.task.cancelledAt == nil }
            .sorted { $0.task.code < $1.task.code }
    }

    public func deliveryMeasures(asOf day: CivilDate) async throws -> [String: DeliveryMeasures] {
        try await kept.measures(asOf: day, on: database)
    }
}
