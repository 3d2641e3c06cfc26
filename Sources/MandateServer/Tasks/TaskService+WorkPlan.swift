import Foundation
import MandateCore
import MandateStore

extension TaskService {
    /// The largest work-plan file read (a national plan of 50,000 tasks is about 15 MB).
    static let maximumWorkPlanSize = 32 * 1024 * 1024

    /// Refuses a caller who may not assign tasks (`Action.assignTask` on the committee's unit)
    /// before a work plan is read.
    func requireMayImportWorkPlan(_ caller: Caller) async throws {
        try await require(.assignTask, on: try await committeeUnit(), caller, target: "work-plan")
    }

    /// A work-plan file as a request brings it: its bytes, the programme of rows without one, and
    /// whether it is only checked.
    struct WorkPlanFile: Sendable {
        var bytes: [UInt8]
        var programme: String?
        var dryRun: Bool
    }

    /// A work plan from CSV (`WorkPlan`, `TaskImporter`): the caller is authorised before `read`
    /// is called for the file, and at most `workPlanImports` plans are read at once; the plan is
    /// checked in full, then written in one transaction unless it is a dry run; every bad row is
    /// refused with its line, column and reason.
    func importWorkPlan(
        read: () async throws -> WorkPlanFile, _ caller: Caller
    ) async throws -> (file: WorkPlanFile, summary: TaskImporter.Summary) {
        try await requireMayImportWorkPlan(caller)
        return try await workPlanImports.run {
            let file = try await read()
            let text = try CSVReader.text(file.bytes)
            do {
                let summary = try await importer.importCSV(
                    tasks: text, programme: file.programme, illustrative: false, dryRun: file.dryRun,
                    by: actor(caller))
                return (file, summary)
            } catch let refusal as TaskImporter.Refusal {
                throw refusal.failure
            }
        }
    }
}
