import Foundation
import MandateCore
import SQLKit

/// A report or an extension request that waits for someone, as a work queue lists it.
public struct WaitingItem: Sendable, Hashable, Codable {
    public var task: String
    public var title: String
    /// The unit the report or request is from.
    public var unit: String
    /// When it began to wait (submitted, requested or last changed).
    public var since: String

    public init(task: String, title: String, unit: String, since: String) {
        self.task = task
        self.title = title
        self.unit = unit
        self.since = since
    }
}

/// What waits in the task workflow, oldest first: reports submitted for the committee's
/// decision, extension requests pending, and the draft reports of one unit, not yet submitted.
public struct WaitingWork: Sendable, Hashable {
    public var submittedReports: [WaitingItem] = []
    public var submittedReportCount = 0
    public var pendingExtensions: [WaitingItem] = []
    public var draftReports: [WaitingItem] = []

    public init() {}
}

extension SQLTaskRepository {
    public func waiting(draftReportsOf unit: String?, limit: Int) async throws -> WaitingWork {
        try await database.read { db in
            func items(_ sql: SQLQueryString) async throws -> [WaitingItem] {
                try await db.raw(sql).all().map { row in
                    WaitingItem(
                        task: try row.decode(column: "task_code", as: String.self),
                        title: try row.decode(column: "title", as: String.self),
                        unit: try row.decode(column: "unit_code", as: String.self),
                        since: try row.decode(column: "since", as: String?.self) ?? "")
                }
            }
            var work = WaitingWork()
            // Each reads the state's index, then only the rows in that state.
            work.submittedReports = try await items(
                """
                SELECT r.task_code, t.title, r.unit_code, r.submitted_at AS since FROM task_reports r \
                JOIN tasks t ON t.code = r.task_code WHERE r.state = \(bind: ReportState.submitted.rawValue) \
                ORDER BY r.submitted_at, r.id LIMIT \(bind: limit)
                """)
            work.submittedReportCount =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM task_reports WHERE state = \(bind: ReportState.submitted.rawValue)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            work.pendingExtensions = try await items(
                """
                SELECT e.task_code, t.title, e.unit_code, e.requested_at AS since FROM task_extensions e \
                JOIN tasks t ON t.code = e.task_code WHERE e.state = \(bind: ExtensionState.pending.rawValue) \
                ORDER BY e.requested_at, e.id LIMIT \(bind: limit)
                """)
            if let unit {
                work.draftReports = try await items(
                    """
                    SELECT r.task_code, t.title, r.unit_code, r.created_at AS since FROM task_reports r \
                    JOIN tasks t ON t.code = r.task_code WHERE r.state = \(bind: ReportState.draft.rawValue) \
                    AND r.unit_code = \(bind: unit) ORDER BY r.created_at, r.id LIMIT \(bind: limit)
                    """)
            }
            return work
        }
    }
}

/// What waits for one unit outside the report workflow: recommendations addressed to it that
/// are public and unanswered (oldest due first), and what its reporters proposed or recommended
/// that waits for its head's sign-off (oldest first).
public struct UnitWaiting: Sendable, Hashable {
    public var toAnswer: [Recommendation] = []
    public var toAnswerCount = 0
    public var recommendationsToSignOff: [Recommendation] = []
    public var proposalsToSignOff: [WaitingItem] = []

    public init() {}
}

extension SQLTaskRepository {
    public func waiting(on unit: String, limit: Int) async throws -> UnitWaiting {
        try await database.read { db in
            func recommendations(
                _ filter: (SQLSelectBuilder) -> SQLSelectBuilder, order: String
            ) async throws
                -> [Recommendation]
            {
                try await filter(db.select().columns(RecommendationRow.columns).from("recommendations"))
                    .orderBy(order).orderBy("id").limit(limit)
                    .all(decoding: RecommendationRow.self, keyDecodingStrategy: .snakeCaseColumns)
                    .compactMap(\.recommendation)
            }
            // Answerable: signed off and unanswered (`Recommendation.answerRefusal`).
            func answerable(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                select.where("to_unit", .equal, unit).where("signed_off_at", .isNot, SQLLiteral.null)
                    .where("answered_at", .is, SQLLiteral.null)
            }
            var work = UnitWaiting()
            work.toAnswer = try await recommendations(answerable, order: "due_date")
            work.toAnswerCount =
                try await answerable(
                    db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("recommendations")
                ).first(decodingColumn: "n", as: Int.self) ?? 0
            work.recommendationsToSignOff = try await recommendations(
                { $0.where("from_unit", .equal, unit).where("signed_off_at", .is, SQLLiteral.null) },
                order: "raised_at")
            work.proposalsToSignOff = try await db.raw(
                """
                SELECT code, title, lead_unit, created_at FROM tasks WHERE lead_unit = \(bind: unit) \
                AND origin = \(bind: TaskOrigin.proposed.rawValue) AND signed_off_at IS NULL \
                ORDER BY created_at, code LIMIT \(bind: limit)
                """
            ).all().map { row in
                WaitingItem(
                    task: try row.decode(column: "code", as: String.self),
                    title: try row.decode(column: "title", as: String.self),
                    unit: try row.decode(column: "lead_unit", as: String.self),
                    since: try row.decode(column: "created_at", as: String.self))
            }
            return work
        }
    }
}
