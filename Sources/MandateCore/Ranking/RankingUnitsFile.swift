/// A units file read for a ranking, to know each unit's kind: the portal's units export
/// (`/open-data/units.csv`, `code,kind,…`), a published ranking's own units file (`code,kind`), or
/// the reference units file (`level,code,…`, where `level` is the kind).
public struct RankingUnitsFile: Sendable, Equatable {
    /// Each unit's kind as the file writes it, by code.
    public let kinds: [String: String]

    /// Reads `text`; a file without a `code` column, or without a `kind` or `level` column, is
    /// refused with the line and reason.
    public init(_ text: String) throws(ValidationFailure) {
        let table = try CSVTable(text, required: ["code"])
        guard let kind = table.position["kind"] ?? table.position["level"], let code = table.position["code"]
        else {
            throw ValidationFailure([
                RowError(
                    line: 1, column: nil,
                    reason: "missing column(s): kind (the portal's units file) or level (the reference units file)")
            ])
        }
        var kinds: [String: String] = [:]
        for record in table.records where record.fields.count > max(kind, code) {
            kinds[record.fields[code].trimmingWhitespace()] = record.fields[kind].trimmingWhitespace()
        }
        self.kinds = kinds
    }

    /// The codes of the units of `kind`.
    public func codes(of kind: UnitKind) -> Set<String> {
        Set(kinds.filter { $0.value == kind.rawValue }.keys)
    }

    /// The units of a ranking as its own units file lists them: `code,kind`, one row per unit, by
    /// code. The CLI reads it with `--units`, as it reads the portal's units file.
    public static func csv(units: some Sequence<String>, kind: UnitKind) -> String {
        var text = "code,kind\n"
        for unit in units.sorted(by: RankingTable.codeOrder) {
            text += "\(CSVField.quoted(unit)),\(kind.rawValue)\n"
        }
        return text
    }
}
