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
            throw ValidationFailure([RowError(line: 1, column: nil, reason: "the file is empty")])
        }
        names = header.fields.map { $0.trimmingWhitespace() }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() { position[name] = index }
        self.position = position
        records = all.dropFirst()
        let missing = required.filter { position[$0] == nil }
        if !missing.isEmpty {
            throw ValidationFailure([
                RowError(line: 1, column: nil, reason: "missing column(s): \(missing.joined(separator: ", "))")
            ])
        }
    }
}
