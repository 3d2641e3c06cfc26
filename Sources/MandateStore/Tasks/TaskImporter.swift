import Foundation
import MandateCore
import SQLKit

/// `mandate tasks import`: tasks and their progress reports from CSV (`TaskCSV`), checked in full
/// and then written in one transaction, or not at all. Accepted reports enter the transparency
/// log as if they had been accepted on the task's page.
public struct TaskImporter: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var tasks: Int
        public var cancelled: Int
        public var reports: Int
        public var accepted: Int
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

    /// Checks both files, then writes them. `programme` names the programme of rows without one;
    /// the reference programme (Resolution 57-NQ/TW, `DemoTasks.programme`) is stored first if it
    /// is named and missing.
    public func importCSV(
        tasks tasksText: String, reports reportsText: String?, programme: String?, illustrative: Bool, now: Date
    ) async throws -> Summary {
        var programmes = try await store.tasks.programmes()
        if let programme, programme == DemoTasks.programme.code, !programmes.contains(where: { $0.code == programme }) {
            try await store.tasks.save(DemoTasks.programme)
            programmes = try await store.tasks.programmes()
        }
        let known = try await store.units.kinds()
        let stored = try await store.database.read { db in
            Set(try await db.select().column("code").from("tasks").all(decodingColumn: "code", as: String.self))
        }
        let context = TaskCSV.Context(
            programme: programme, isKnownUnit: { known[$0] != nil },
            orientations: Dictionary(
                programmes.map { ($0.code, Set($0.orientations.map(\.number))) }, uniquingKeysWith: { $1 }),
            isStoredTask: stored.contains, now: now, illustrative: illustrative, newId: SQLTaskRepository.newId)
        let tasks: [ProgrammeTask]
        do { tasks = try TaskCSV.tasks(tasksText, context: context) } catch {
            throw Refusal(file: .tasks, failure: error)
        }
        var reports: [TaskReport] = []
        if let reportsText {
            do {
                reports = try TaskCSV.reports(reportsText, on: tasks, context: context)
            } catch {
                throw Refusal(file: .reports, failure: error)
            }
        }
        let byTask = Dictionary(grouping: reports, by: \.task)
        let records = tasks.map {
            TaskRecord(task: $0, progress: TaskProgress.of($0, reports: byTask[$0.code] ?? [], extensions: []))
        }
        try await SQLTaskRepository(database: store.database).load(
            DemoTasks.Content(tasks: records, reports: reports, extensions: [], recommendations: []))
        return Summary(
            tasks: tasks.count, cancelled: tasks.count(where: { $0.cancelledAt != nil }), reports: reports.count,
            accepted: reports.count(where: { $0.state == .accepted }))
    }
}
