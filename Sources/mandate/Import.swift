import ArgumentParser
import Foundation
import MandateCore
import MandateStore
import Synchronization

/// `mandate import FILE`: loads data values from CSV or JSON, all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Import data values from CSV (indicator,unit,period,value[,comment][,evidence]) or JSON ({\"dataValues\": […]}).",
        discussion: """
            Every row is checked first; if any row is bad, each bad row is reported by line and column, and \
            nothing is written. Importing the same file again changes nothing. An operator's import is \
            approved (public) unless --draft is given.
            """)

    @Argument(help: "The .csv or .json file.") var file: String
    @Flag(help: "Store the values as drafts, for the unit heads to approve.") var draft = false
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        var standardError = FileHandle.standardError
        let started = Date()
        // A CSV file is read part by part as the parts before are checked and stored.
        let parts: DataValueParts
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            if file.lowercased().hasSuffix(".json") {
                parts = try DataValueFile.json(data)
            } else {
                parts = try DataValueParts.csv([UInt8](data))
            }
        } catch let failure as ValidationFailure {
            report(failure, to: &standardError)
            throw ExitCode(65)
        } catch {
            throw ValidationError("cannot read \(file): \(error)")
        }
        print("Reading, checking and storing \(file) (\(parts.expected) rows at most)…", to: &standardError)
        let progress = ProgressReport(total: parts.expected)
        do {
            // One connection, so that the file can take the bulk load's faster journal mode.
            let summary = try await databaseOptions.withStore(readers: 0) { store in
                let submitter = Submitter(userId: nil, status: draft ? .draft : .approved, at: store.clock.now())
                return try await store.database.bulkLoad {
                    try await store.values.submit(
                        parts, by: submitter, wholeSubmission: true, progress: { progress.report($0) })
                }
            }
            let seconds = Date().timeIntervalSince(started)
            let total = summary.created + summary.updated + summary.unchanged
            print(
                "Imported \(file): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged "
                    + "in \(String(format: "%.1f", seconds)) s (\(Int(Double(total) / max(seconds, 0.001))) rows/s).")
        } catch let failure as ValidationFailure {
            report(failure, to: &standardError)
            throw ExitCode(65)
        }
    }

    func report(_ failure: ValidationFailure, to stream: inout FileHandle) {
        print("\(file) was not imported; nothing was written. \(failure.errors.count) problem(s):", to: &stream)
        for error in failure.errors.prefix(1000) { print("  \(error)", to: &stream) }
        if failure.errors.count > 1000 { print("  … and \(failure.errors.count - 1000) more", to: &stream) }
    }

    /// Prints how far a long import has got, each time it passes another tenth of the rows
    /// (`total` is the most there can be).
    final class ProgressReport: Sendable {
        let total: Int
        private let tenths = Atomic<Int>(0)

        init(total: Int) {
            self.total = total
        }

        func report(_ done: Int) {
            guard total >= 50_000 else { return }
            let reached = min(done * 10 / total, 10)
            guard tenths.exchange(reached, ordering: .relaxed) < reached else { return }
            var standardError = FileHandle.standardError
            print("  stored \(done) rows (\(min(done * 100 / total, 100))%)", to: &standardError)
        }
    }
}

/// `mandate indicators import FILE`: loads or updates indicator definitions.
struct Indicators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage indicator definitions.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load or update indicators from CSV (code,name_vi,name_en,unit_of_measure,value_type,direction,frequency,applies_to,rollup)."
        )

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            var standardError = FileHandle.standardError
            do {
                let text = try CSVReader.text([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
                let (indicators, lines) = try IndicatorCSV.read(text)
                try await databaseOptions.withStore { store in
                    try await IndicatorImporter(indicators: store.indicators).save(indicators, lines: lines)
                }
                print("Imported \(file): \(indicators.count) indicators.")
            } catch let failure as ValidationFailure {
                print(
                    "\(file) was not imported; nothing was written. \(failure.errors.count) problem(s):",
                    to: &standardError)
                for error in failure.errors { print("  \(error)", to: &standardError) }
                throw ExitCode(65)
            }
        }
    }
}
