import MandateCore
import SQLKit
import Synchronization

/// Every task's delivery facts, and the measures computed from them, kept in memory and brought up
/// to date by reading only the tasks whose facts changed since.
///
/// At national scale (50,000 tasks, 500,000 reports) reading every task and every submitted month
/// takes seconds, and each ranking draft needs the measures as of two days. Each write stamps the
/// tasks whose facts it changed with the task data version it bumps to (`M014TaskFactsVersion`),
/// in its own transaction; a copy kept at version V is made current by reading the tasks stamped
/// after V, with their coordinating units and submitted months. The version comes from the
/// database, so a write by any instance is seen by every other. Measures are kept per day until the
/// facts change; writes that leave every task's facts as they were (a recommendation answered, a
/// file attached) keep them.
final class KeptDeliveryFacts: Sendable {
    struct Copy: Sendable {
        /// The task data version the copy is current at.
        var version: Int64
        /// Every task's facts, cancelled ones included, by code.
        var facts: [String: DeliveryFacts]
        /// Changes whenever `facts` does.
        var generation: Int
        /// Measures of every unit computed from `facts`, by the day they are as of.
        var measures: [CivilDate: [String: DeliveryMeasures]]
        /// How many tasks the last refresh read: every task, or the ones that changed.
        var lastRead: Int
    }

    private let copy = Mutex<Copy?>(nil)
    private let refreshing = AsyncLock()
    /// Days whose measures are kept at once (a ranking asks for two: its period's and the previous).
    static let keptDays = 8
    /// Tasks read per query by their codes.
    static let batch = 1000

    /// The facts as the database has them now.
    func current(on database: any MandateDatabase) async throws -> Copy {
        try await refreshing.withLock {
            try await database.read { db in
                let version = try await DataVersion.read(DataVersion.tasks, on: db)
                let kept = self.copy.withLock { $0 }
                // Versions only grow; a copy newer than what this connection sees (a lagging
                // replica) is still the newest there is.
                if let kept, kept.version >= version { return kept }
                let read = try await Self.read(changedAfter: kept?.version, on: db)
                var next = kept ?? Copy(version: version, facts: [:], generation: 0, measures: [:], lastRead: 0)
                next.version = version
                next.lastRead = read.count
                if !read.isEmpty {
                    for facts in read { next.facts[facts.task.code] = facts }
                    next.generation += 1
                    next.measures = [:]
                }
                self.copy.withLock { $0 = next }
                return next
            }
        }
    }

    /// Every unit's measures as of `day` (`DeliveryMeasures.compute`), by unit code.
    func measures(asOf day: CivilDate, on database: any MandateDatabase) async throws -> [String: DeliveryMeasures] {
        let current = try await current(on: database)
        if let kept = current.measures[day] { return kept }
        let computed = DeliveryMeasures.compute(Array(current.facts.values), today: day)
        copy.withLock { stored in
            guard var kept = stored, kept.generation == current.generation else { return }
            if kept.measures.count >= Self.keptDays { kept.measures.removeAll() }
            kept.measures[day] = computed
            stored = kept
        }
        return computed
    }

    /// The facts of every task (`version` nil), or of those stamped after `version`.
    static func read(changedAfter version: Int64?, on db: any SQLDatabase) async throws -> [DeliveryFacts] {
        var select = db.select().columns(factColumns).from("tasks")
        if let version {
            select = select.where {
                $0.where("facts_version", .greaterThan, version).orWhere("facts_version", .is, SQLLiteral.null)
            }
        }
        let rows = try await select.all().map(factRow)
        guard !rows.isEmpty else { return [] }
        let codes = version == nil ? nil : rows.map(\.code)
        let coordinators = try await TaskRow.coordinators(codes, on: db)
        let submitted = try await submittedMonths(codes, on: db)
        return rows.map { row in
            var task = row.task
            task.coordinatingUnits = coordinators[row.code] ?? []
            return DeliveryFacts(task: task, progress: row.progress, submittedMonths: submitted[row.code] ?? [:])
        }
    }

    /// The columns of `tasks` the facts need: not the task's words.
    static let factColumns = [
        "code", "programme_code", "lead_unit", "start_date", "deadline", "origin", "adopted_at", "cancelled_at",
        "effective_deadline", "working_deadline", "lead_state", "accepted_submitted_on", "percent", "has_reports",
    ]

    /// A task row with the fact columns, read column by column (decoding 50,000 rows through
    /// `Decodable` takes seconds), its words left empty.
    static func factRow(_ row: any SQLRow) throws -> TaskRow {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optional(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        return TaskRow(
            code: try text("code"), title: "", description: "", deliverable: "",
            programmeCode: try text("programme_code"), orientation: nil, leadUnit: try text("lead_unit"),
            startDate: try text("start_date"), deadline: try text("deadline"), origin: try text("origin"),
            adoptedAt: try optional("adopted_at"), cancelledAt: try optional("cancelled_at"), cancelReason: nil,
            illustrative: false, createdAt: "", effectiveDeadline: try text("effective_deadline"),
            workingDeadline: try text("working_deadline"), leadState: try optional("lead_state"),
            acceptedSubmittedOn: try optional("accepted_submitted_on"),
            percent: try row.decode(column: "percent", as: Int?.self),
            hasReports: try row.decode(column: "has_reports", as: Bool.self), titleEn: nil, priority: "normal",
            technologies: "", indicators: "")
    }

    /// For each task of `codes` (every task when nil) and each of its units, the months
    /// (`DeliveryMeasures.monthIndex`) with a submitted report, the month computed by the database.
    static func submittedMonths(_ codes: [String]?, on db: any SQLDatabase) async throws -> [String: [String: Set<Int>]]
    {
        let monthIndex = SQLRaw(
            "CAST(substr(submitted_at, 1, 4) AS INTEGER) * 12 + CAST(substr(submitted_at, 6, 2) AS INTEGER) - 1")
        var result: [String: [String: Set<Int>]] = [:]
        func collect(_ select: SQLSelectBuilder) async throws {
            for row in try await select.groupBy("task_code").groupBy("unit_code").groupBy(SQLRaw("3")).all() {
                let task = try row.decode(column: "task_code", as: String.self)
                let unit = try row.decode(column: "unit_code", as: String.self)
                result[task, default: [:]][unit, default: []].insert(try row.decode(column: "month", as: Int.self))
            }
        }
        let base = {
            db.select().column("task_code").column("unit_code").column(monthIndex, as: "month").from("task_reports")
                .where("submitted_at", .isNot, SQLLiteral.null)
        }
        if let codes {
            for batch in codes.chunked(into: batch) { try await collect(base().where("task_code", .in, Array(batch))) }
        } else {
            try await collect(base())
        }
        return result
    }
}

extension SQLUpdateBuilder {
    /// Marks the updated tasks' delivery facts as changed by the write under way: `changing` stamps
    /// the version it bumps to on every task so marked (see `M014TaskFactsVersion`).
    func markingFactsChanged() -> Self {
        set("facts_version", to: SQLLiteral.null)
    }
}
