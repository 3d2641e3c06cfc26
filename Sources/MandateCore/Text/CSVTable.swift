/// A CSV file read as a header and its records: what every import needs before it looks at rows.
public struct CSVTable: Sendable {
    /// The header's column names, trimmed.
    public let names: [String]
    /// Each column's position in a record, by name.
    public let position: [String: Int]
    /// The records after the header.
    public let records: ArraySlice<CSVRecord>

    /// Reads `text`; an unreadable file, an empty one, or a header without a `required` column is
    /// refused with the line and reason.
    public init(_ text: String, required: some Sequence<String>) throws(ValidationFailure) {
        let all = try CSVReader.records(text)
        guard let header = all.first else {
            throw ValidationFailure([RowError(line: 1, column: nil, en: "the file is empty", vi: "tệp trống")])
        }
        names = header.fields.map { $0.trimmingWhitespace() }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() { position[name] = index }
        self.position = position
        records = all.dropFirst()
        let missing = required.filter { position[$0] == nil }
        if !missing.isEmpty {
            throw ValidationFailure([
                RowError(
                    line: 1, column: nil, en: "missing column(s): \(missing.joined(separator: ", "))",
                    vi: "thiếu cột: \(missing.joined(separator: ", "))")
            ])
        }
    }

    /// The records as rows, each with as many fields as the header; a record with another number
    /// of fields is reported in `errors` and left out.
    func rows(errors: inout [RowError]) -> [Row] {
        var rows: [Row] = []
        for record in records {
            let row = Row(record: record, position: position)
            if record.fields.count == names.count {
                rows.append(row)
            } else {
                errors.append(
                    row.error(
                        nil, "expected \(names.count) fields, found \(record.fields.count)",
                        vi: "cần \(names.count) trường, có \(record.fields.count)"))
            }
        }
        return rows
    }

    /// One record, read by column name.
    struct Row {
        let record: CSVRecord
        let position: [String: Int]

        /// The field as `HumanText` cleans it, or nil when the column is absent or the field empty.
        subscript(_ column: String) -> String? {
            guard let index = position[column], index < record.fields.count else { return nil }
            let value = HumanText.cleaned(record.fields[index])
            return value.isEmpty ? nil : value
        }

        /// The field as written, or nil when the column is absent.
        func raw(_ column: String) -> String? {
            guard let index = position[column], index < record.fields.count else { return nil }
            return record.fields[index]
        }

        func error(_ column: String?, _ reason: String) -> RowError {
            RowError(line: record.line, column: column, reason: reason)
        }

        /// A problem of this row worded in both languages.
        func error(_ column: String?, _ english: String, vi: String) -> RowError {
            RowError(line: record.line, column: column, en: english, vi: vi)
        }

        func number(_ column: String, in range: ClosedRange<Double>, errors: inout [RowError]) -> Double? {
            guard let text = self[column] else { return nil }
            guard let value = Double(text), value.isFinite else {
                errors.append(error(column, "\"\(text)\" is not a number"))
                return nil
            }
            guard range.contains(value) else {
                errors.append(error(column, "\(text) is outside \(range.lowerBound)…\(range.upperBound)"))
                return nil
            }
            return value
        }
    }
}
