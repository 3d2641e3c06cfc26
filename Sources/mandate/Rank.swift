import ArgumentParser
import Foundation
import MandateCore

/// `mandate rank`: recomputes a ranking offline from a method and the open-data values file.
struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute a ranking from a method (JSON) and a values file (CSV), offline.",
        discussion: """
            The values file has the columns indicator,unit,period,value (comment, evidence and illustrative \
            may follow); delivery measures appear as indicator delivery:on_time_rate and so on. Only the rows \
            of the method's sources are read. Prints one row per unit (CSV) or the result as JSON, the same as \
            the server; the method, the periods and the digest of the inputs go to standard error.

            To recompute a published ranking, download from the portal's open-data page its method \
            (…/method), its inputs (…/inputs, which hold the delivery measures the open-data values file \
            lacks) and its units (…/units), and run the command the page shows, for example:

              mandate rank --method province-dti-2025-v1-method.json \\
                --data province-dti-2025-v1-inputs.csv \\
                --units province-dti-2025-v1-units.csv --period 2025 --previous 2024

            A values file does not say what kind of unit each code is. With --units (the ranking's own \
            units file, the portal's /open-data/units.csv or the reference units file) only the units of the \
            method's kind are ranked, and those without values are listed unranked, as the server lists \
            them; without it, every unit with values is ranked. See docs/RANKING.md.
            """)

    @Option(help: "The ranking method (JSON).") var method: String
    @Option(help: "The values file (CSV).") var data: String
    @Option(help: "The period to rank (default: the latest in the values file).") var period: String?
    @Option(
        help: """
            The previous period, for the change in score and rank (default: the period before, of the same \
            frequency, as on the server).
            """)
    var previous: String?
    @Option(
        help: """
            A units file (code and kind, as /open-data/units.csv and a ranking's …/units; or level and code, as \
            the reference units file): rank its units of the method's kind, listing those without values.
            """)
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
            let unitsFile = try units.map { try RankingUnitsFile(String(decoding: try read($0), as: UTF8.self)) }
            let listed = unitsFile?.codes(of: method.unitKind)
            let values = try RankingValues(inputs, method: method, units: listed)
            let parsed = DispatchTime.now()
            guard let period = try Self.period(self.period, "period") ?? Self.period(values.periods.last, "data")
            else { throw ValidationFailure(field: "data", reason: "\(data) has no value for the method's sources") }
            let previousPeriod = try Self.period(previous, "previous") ?? period.rankingPrevious
            let table = values.table(period.id, units: listed ?? [])
            let before = previousPeriod.map { values.table($0.id, units: listed ?? []) }
            if let note = note(values, unitsFile, kind: method.unitKind) { print(note, to: &standardError) }
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

    /// What standard error says when the command cannot tell the kind of units in the values file:
    /// without a units file, of any; with one, of those it does not list.
    func note(_ values: RankingValues, _ unitsFile: RankingUnitsFile?, kind: UnitKind) -> String? {
        guard let unitsFile else {
            let count = values.units.count
            guard count > 0 else { return nil }
            return """
                note: \(data) does not say what kind of unit each code is, so all \(count) units with values are \
                ranked as \(kind.rawValue) units, and units without any value are not listed. Pass --units with \
                the ranking's own units file (…/units), the portal's /open-data/units.csv or the reference units \
                file to rank only the \(kind.rawValue) units and list those without values unranked, as the \
                server does.
                """
        }
        let unknown = values.unlisted.filter { unitsFile.kinds[$0] == nil }
        guard !unknown.isEmpty else { return nil }
        let shown = unknown.prefix(10).joined(separator: ", ") + (unknown.count > 10 ? ", …" : "")
        return """
            note: \(unknown.count) unit(s) with values in \(data) are not in \(units ?? "the units file"), so \
            their kind is unknown and they are left out: \(shown)
            """
    }

    /// The period `text` names, if any; one that is not a period is refused, naming `field`.
    static func period(_ text: String?, _ field: String) throws(ValidationFailure) -> Period? {
        guard let text else { return nil }
        do {
            return try Period(text)
        } catch {
            throw ValidationFailure(field: field, reason: error.reason)
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
}
