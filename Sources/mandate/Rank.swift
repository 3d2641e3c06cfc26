import ArgumentParser
import Foundation
import MandateCore

/// `mandate rank`: recomputes a ranking offline from a method and the open-data values file.
struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute a ranking from a method (JSON) and a values file (CSV), offline.",
        discussion: """
            The values file has the columns indicator,unit,period,value (the open-data export; comment and \
            evidence may follow); delivery measures appear as indicator delivery:on_time_rate and so on. Only \
            the rows of the method's sources are read. Prints one row per unit (CSV) or the result as JSON, the \
            same as the server; the method, period and digest of the inputs go to standard error. \
            See docs/RANKING.md.
            """)

    @Option(help: "The ranking method (JSON).") var method: String
    @Option(help: "The values file (CSV).") var data: String
    @Option(help: "The period to rank (default: the latest in the file).") var period: String?
    @Option(help: "The previous period, for the change in score and rank.") var previous: String?
    @Option(help: "A units file (level,code,…): rank its units of the method's kind, listing those without data.")
    var units: String?
    @Option(help: "Monte Carlo draws (default: the method's; 0 for none).") var draws: Int?
    @Option(help: "The Monte Carlo seed (default: the method's).") var seed: UInt64?
    @Option(help: "csv or json.") var format: OutputFormat = .csv
    @Flag(
        help:
            "Also time one period's ranking, the ranking with the change, and the Monte Carlo; print the times (JSON) to standard error."
    )
    var timings = false

    enum OutputFormat: String, ExpressibleByArgument {
        case csv, json
    }

    func run() async throws {
        var standardError = FileHandle.standardError
        do {
            let method = try RankingMethod.decode(try read(self.method))
            let started = DispatchTime.now()
            let inputs = try DataValueFile.csv(String(decoding: try read(data), as: UTF8.self))
            let listed = try units.map {
                try Self.units(String(decoding: try read($0), as: UTF8.self), of: method.unitKind)
            }
            let values = try RankingValues(inputs, method: method, units: listed)
            let parsed = DispatchTime.now()
            guard let period = period ?? values.periods.last else {
                throw ValidationFailure(field: "data", reason: "\(data) has no value for the method's sources")
            }
            let table = values.table(period, units: listed ?? [])
            let before = previous.map { values.table($0, units: listed ?? []) }
            var uncertainty = method.uncertainty
            if let draws { uncertainty.draws = draws }
            if let seed { uncertainty.seed = seed }
            let engine = try RankingEngine(method: method)
            var result = try await engine.rank(table, previous: before, uncertainty: uncertainty, workers: Self.workers)
            result.inputDigest = RankingTable.digest([table] + (before.map { [$0] } ?? []))
            print(
                "\(method.id) v\(method.version), period \(period)\(before.map { " (previous \($0.period))" } ?? ""): "
                    + "\(result.units.filter { $0.rank != nil }.count) of \(table.units.count) units ranked, "
                    + "\(uncertainty.draws) draws (seed \(uncertainty.seed)); inputs SHA-256 \(result.inputDigest ?? "")",
                to: &standardError)
            if let missing = result.previousMissingComponents, let previous = result.previousPeriod, !missing.isEmpty {
                print(
                    "note: \(previous) has no value for \(missing.joined(separator: ", ")), which \(period) has: "
                        + "the change and the most improved compare scores made of different components",
                    to: &standardError)
            }
            switch format {
            case .csv: print(result.csv(), terminator: "")
            case .json: print(String(decoding: try result.json(), as: UTF8.self))
            }
            if timings {
                var times = try await RankTimings.measure(
                    engine, table, previous: before, uncertainty: uncertainty, workers: Self.workers)
                times.parseMs = Double(parsed.uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
                times.components = method.components.count
                print(String(decoding: try JSONEncoder().encode(times), as: UTF8.self), to: &standardError)
            }
        } catch let failure as ValidationFailure {
            print("cannot rank: \(failure.errors.count) problem(s):", to: &standardError)
            for error in failure.errors.prefix(100) { print("  \(error)", to: &standardError) }
            throw ExitCode(65)
        }
    }

    /// The Monte Carlo runs on every core.
    static var workers: Int { ProcessInfo.processInfo.activeProcessorCount }

    func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The codes of the units of `kind` in a units file.
    static func units(_ text: String, of kind: UnitKind) throws(ValidationFailure) -> Set<String> {
        let table = try CSVTable(text, required: ["level", "code"])
        let level = table.position["level"] ?? 0
        let code = table.position["code"] ?? 0
        var codes = Set<String>()
        for record in table.records where record.fields.count > max(level, code) {
            if record.fields[level].trimmingWhitespace() == kind.rawValue {
                codes.insert(record.fields[code].trimmingWhitespace())
            }
        }
        return codes
    }
}
