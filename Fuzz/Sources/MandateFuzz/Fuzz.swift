import CFuzzDriver
import Foundation
import MandateCore

/// The program's entry (the package manager links an executable's `main` to `MandateFuzz_main`):
/// hands the command line to libFuzzer's driver.
@_cdecl("MandateFuzz_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzz($0, $1) }
}

/// libFuzzer's entry: feeds one input to the parser `MANDATE_FUZZ_TARGET` names. A parser may
/// refuse the input (it throws or returns nil); it must never crash, hang or break an invariant
/// (a checked one traps, which libFuzzer reports as a crash with the input that caused it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    FuzzTarget.current.run(bytes)
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case csv, json, period, note, tile, multipart

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["MANDATE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set MANDATE_FUZZ_TARGET to one of \(allCases.map(\.rawValue))")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: Self.csv(bytes)
        case .json: Self.json(Data(bytes))
        case .period: Self.period(bytes)
        case .note: Self.note(Data(bytes))
        case .tile: Self.tile(bytes)
        case .multipart: Self.multipart(bytes)
        }
    }

    /// A work plan's import, as `mandate tasks import` runs it over an empty store.
    static var taskContext: TaskCSV.Context {
        TaskCSV.Context(
            programme: "NQ57", isKnownUnit: { ["BCD", "01", "79", "00004"].contains($0) },
            orientations: ["NQ57": [1, 2, 3]],
            isStoredTask: { _ in false }, isKnownIndicator: { $0 == "DVC_TT" },
            now: Date(timeIntervalSince1970: 1_790_000_000), illustrative: false, newId: { "r" })
    }

    /// The CSV reader and the imports built on it: values, units, indicators, tasks and reports.
    static func csv(_ bytes: [UInt8]) {
        _ = try? DataValueParts.csv(bytes)
        guard let text = try? CSVReader.text(bytes) else { return }
        if let records = try? CSVReader.records(text) {
            // Every record keeps its line, in order.
            check(zip(records, records.dropFirst()).allSatisfy { $0.line < $1.line }, "records out of line order")
        }
        _ = try? DataValueFile.csv(text)
        _ = try? UnitCSV.parse(text, existing: ["BCD": .committee, "01": .province])
        _ = try? IndicatorCSV.parse(text)
        if let rows = try? TaskCSV.tasks(text, context: taskContext) {
            // A work plan over nothing stored creates every task it reads.
            let steps = try? WorkPlan.steps(rows, stored: { _ in nil })
            check(steps?.allSatisfy { $0.action == .create } ?? false, "a new work plan's rows do not all create")
        }
        _ = try? TaskCSV.reports(text, on: plannedTasks, context: taskContext)
    }

    /// The tasks a reports file is read against.
    static let plannedTasks: [ProgrammeTask] = {
        let plan = "code,title,lead_unit,coordinating_units,start,deadline\nT1,Nhiệm vụ,01,79,2026-01-01,2026-12-31\n"
        do { return try TaskCSV.tasks(plan, context: taskContext).map(\.task) } catch { fatalError("\(error)") }
    }()

    /// The JSON bodies the API reads whole: values, a ranking method, an indicator.
    static func json(_ data: Data) {
        _ = try? DataValueFile.json(data)
        if let method = try? RankingMethod.decode(data) { _ = method.problems() }
        _ = try? JSONDecoder().decode(Indicator.self, from: data)
    }

    /// A period identifier reads back as itself.
    static func period(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self), let period = try? Period(text) else { return }
        check((try? Period(period.id)) == period, "period \(period.id) does not read back")
    }

    /// A signed note, a verifier key and a checkpoint: a checkpoint that parses is written back the same.
    static func note(_ data: Data) {
        if let note = try? SignedNote(parsing: data) {
            _ = note.signatures.count
        }
        if let text = String(data: data, encoding: .utf8) { _ = try? NoteVerifier(encoded: text) }
        if let text = String(data: data, encoding: .utf8), let checkpoint = try? Checkpoint(text: text) {
            check((try? Checkpoint(text: checkpoint.text)) == checkpoint, "a checkpoint does not read back")
        }
    }

    /// Tile and entry-bundle paths, and entry bundles.
    static func tile(_ bytes: [UInt8]) {
        if let path = String(validating: bytes, as: UTF8.self) {
            if let tile = try? Tile(path: path) {
                check((try? Tile(path: tile.path)) == tile, "tile \(tile.path) does not read back")
            }
            _ = try? Tile(entryBundlePath: path)
        }
        if let bundle = try? EntryBundle(data: Data(bytes)) {
            check((try? EntryBundle(entries: bundle.entries)) != nil, "an entry bundle's entries are refused")
        }
    }

    /// A multipart body under a fixed boundary, and a Content-Type's boundary.
    static func multipart(_ bytes: [UInt8]) {
        _ = MultipartForm(bytes: Data(bytes), boundary: "mandate")
        _ = MultipartForm.boundary(of: String(decoding: bytes.prefix(200), as: UTF8.self))
    }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError(message()) }
    }
}
