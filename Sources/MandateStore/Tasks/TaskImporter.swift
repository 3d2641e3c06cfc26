import Foundation
import MandateCore
import SQLKit

/// A work plan imported from CSV (`TaskCSV`, `WorkPlan`), by `mandate tasks import`, the API and
/// the work-plan page alike: every row checked in full, then written in one transaction, or not
/// at all. A row whose code is stored revises that task; its reports, extensions and history
/// stay. New tasks may bring their progress reports (the command line's second file); accepted
/// ones enter the transparency log as if they had been accepted on the task's page.
public struct TaskImporter: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// What an import did, or would do on a dry run.
    public struct Summary: Sendable, Codable, Equatable {
        public var dryRun: Bool
        /// Tasks created, revised, left as they were, and cancelled.
        public var created: Int
        public var updated: Int
        public var unchanged: Int
        public var cancelled: Int
        public var reports: Int
        public var accepted: Int
        /// Each row's step, in file order.
        public var rows: [RowStep]

        /// Tasks of the file, whatever their step.
        public var tasks: Int { rows.count }
    }

    /// One row's step: its line, task code, what it does and the fields it changes.
    public struct RowStep: Sendable, Codable, Equatable {
        public var line: Int
        public var code: String
        public var action: WorkPlan.Action
        public var changes: [String]
    }

    /// Which of the two files a problem is in.
    public enum File: String, Sendable {
        case tasks, reports
    }

    /// The import refused, with the file whose rows are at fault.
    public struct Refusal: Error, Sendable {
        public var file: File
        public var failure: ValidationFailure
    }

    /// Checks both files, then writes them unless `dryRun`. `programme` names the programme of
    /// rows without one; the reference programme (Resolution 57-NQ/TW, `DemoTasks.programme`) is
    /// stored first if it is named and missing.
    public func importCSV(
        tasks tasksText: String, reports reportsText: String? = nil, programme: String?, illustrative: Bool,
        dryRun: Bool = false, by actor: Actor
    ) async throws -> Summary {
        var programmes = try await store.tasks.programmes()
        if !dryRun, let programme, programme == DemoTasks.programme.code,
            !programmes.contains(where: { $0.code == programme })
        {
            try await store.tasks.save(DemoTasks.programme)
            programmes = try await store.tasks.programmes()
        }
        var orientations = Programme.open(programmes)
        if dryRun, programme == DemoTasks.programme.code, orientations[DemoTasks.programme.code] == nil {
            orientations[DemoTasks.programme.code] = Set(DemoTasks.programme.orientations.map(\.number))
        }
        let known = try await store.units.kinds()
        let indicators = Set(try await store.indicators.list().map(\.code))
        let repository = SQLTaskRepository(database: store.database)
        let now = Timestamp.instant(actor.at) ?? Date()
        var context = TaskCSV.Context(
            programme: programme, isKnownUnit: { known[$0] != nil }, orientations: orientations,
            isStoredTask: { _ in false }, isKnownIndicator: indicators.contains, now: now, illustrative: illustrative,
            newId: SQLTaskRepository.newId)
        let steps: [WorkPlan.Step]
        do {
            // The rows that read well are checked against what is stored too, so that every bad
            // row is named at once.
            var (rows, errors) = try TaskCSV.read(tasksText, context: context)
            let stored = try await repository.workPlanState(of: rows.map(\.task.code))
            context.isStoredTask = { stored[$0] != nil }
            var checked: [WorkPlan.Step] = []
            do { checked = try WorkPlan.steps(rows, stored: { stored[$0] }) } catch { errors += error.errors }
            if !errors.isEmpty { throw ValidationFailure(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
            steps = checked
        } catch let failure as ValidationFailure {
            throw Refusal(file: .tasks, failure: failure)
        }
        var reports: [TaskReport] = []
        if let reportsText {
            do {
                reports = try TaskCSV.reports(
                    reportsText, on: steps.filter { $0.action == .create }.map(\.task), context: context)
            } catch {
                throw Refusal(file: .reports, failure: error)
            }
        }
        // A plan that changes nothing writes nothing (not even a new data version).
        if !dryRun, !reports.isEmpty || steps.contains(where: { $0.action != .unchanged }) {
            try await repository.apply(steps, reports: reports, by: actor)
        }
        return Summary(
            dryRun: dryRun, created: steps.count(where: { $0.action == .create }),
            updated: steps.count(where: { $0.action == .update }),
            unchanged: steps.count(where: { $0.action == .unchanged }),
            cancelled: steps.count(where: { $0.task.cancelledAt != nil && $0.action != .unchanged }),
            reports: reports.count, accepted: reports.count(where: { $0.state == .accepted }),
            rows: steps.map { RowStep(line: $0.line, code: $0.task.code, action: $0.action, changes: $0.changes) })
    }
}
