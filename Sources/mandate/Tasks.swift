import ArgumentParser
import Foundation
import MandateCore
import MandateStore

/// `mandate tasks …`: tasks as an operator loads them.
struct Tasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage programme tasks.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load tasks, and optionally their progress reports, from CSV files.",
            discussion: """
                Tasks: code,title,lead_unit,start,deadline; optionally coordinating_units (codes separated \
                by ';'), programme, orientation, deliverable (the title when absent), description, \
                status_hint (only 'cancelled' is acted on: status is derived from the reports) and \
                cancel_reason.
                Reports: task_code,unit,percent,submitted_at,narrative; optionally state (accepted, the \
                default, or submitted) and accepted_at. Times are ISO 8601 with an offset \
                (2026-04-03T10:00:00+07:00). A report names a task of the same import.
                Also: title_en, priority (high, normal or low), technologies (tags separated by ';') and \
                indicators (codes separated by ';'). A code already stored revises that task; its reports, \
                extensions and history stay (docs/WORKPLAN.md).
                Every row of both files is checked first, by the rules of the task pages; if any row is \
                bad, each bad row is reported by line and column and nothing is written. Accepted reports \
                enter the transparency log.
                """)

        @Argument(help: "The tasks CSV file.") var tasks: String
        @Option(help: "The reports CSV file.") var reports: String?
        @Option(help: "The programme of rows without a programme column (NQ57 is stored if missing).")
        var programme = "NQ57"
        @Flag(help: "Mark every task as illustrative (demonstration content, not published fact).")
        var illustrative = false
        @Flag(help: "Check the files and say what the import would do; write nothing.")
        var dryRun = false
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            let tasksText = try Self.text(of: tasks)
            let reportsText = try reports.map(Self.text(of:))
            do {
                let summary = try await databaseOptions.withStore { store in
                    try await TaskImporter(store: store).importCSV(
                        tasks: tasksText, reports: reportsText, programme: programme, illustrative: illustrative,
                        dryRun: dryRun, by: Actor(userId: nil, at: Timestamp.string(Date())))
                }
                for row in summary.rows where row.action != .unchanged {
                    let changes = row.changes.isEmpty ? "" : " (\(row.changes.joined(separator: ", ")))"
                    print("  line \(row.line): \(row.action.rawValue) \(row.code)\(changes)")
                }
                print(
                    (dryRun ? "Dry run, nothing written: \(tasks)" : "Imported \(tasks)")
                        + "\(reports.map { " and \($0)" } ?? ""): \(summary.created) tasks created, "
                        + "\(summary.updated) updated, \(summary.unchanged) unchanged, \(summary.cancelled) cancelled; "
                        + "\(summary.reports) reports (\(summary.accepted) accepted).")
            } catch let refusal as TaskImporter.Refusal {
                let file = refusal.file == .tasks ? tasks : reports ?? ""
                Self.refuse(file, refusal.failure)
            } catch let failure as ValidationFailure {
                Self.refuse(tasks, failure)
            }
        }

        static func text(of file: String) throws -> String {
            do { return try CSVFile.text(of: file) } catch let failure as ValidationFailure { refuse(file, failure) }
        }

        static func refuse(_ file: String, _ failure: ValidationFailure) -> Never {
            var standardError = FileHandle.standardError
            let shown = failure.errors.prefix(1000)
            print(
                "Nothing was imported: \(file) has \(failure.errors.count) problem(s)"
                    + (shown.count < failure.errors.count ? "; the first \(shown.count):" : ":"),
                to: &standardError)
            for error in shown { print("  \(error)", to: &standardError) }
            Foundation.exit(65)
        }
    }
}
