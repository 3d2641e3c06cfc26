import ArgumentParser
import Foundation
import MandateCore
import MandateStore

struct Units: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the unit tree.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load or update units from a CSV file (level,code,name,short_name,type,parent_code,lat,lon,area_km2).",
            discussion:
                "Every row is checked first; if any row is bad, each bad row is reported by line and nothing is written."
        )

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            do {
                let text = try CSVFile.text(of: file)
                let summary = try await databaseOptions.withStore { store in
                    try await UnitImporter(units: store.units).importCSV(text)
                }
                print("Imported \(file): \(summary.created) units created, \(summary.updated) updated.")
            } catch let failure as ValidationFailure {
                var standardError = FileHandle.standardError
                print(
                    "\(file) was not imported; nothing was written. \(failure.errors.count) problem(s):",
                    to: &standardError)
                for error in failure.errors { print("  \(error)", to: &standardError) }
                throw ExitCode(65)
            }
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}
