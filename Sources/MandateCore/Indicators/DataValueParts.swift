/// A submission's inputs, handed over part by part, so that a long file is read while the parts
/// before are checked and stored.
public struct DataValueParts: Sendable {
    private var inputs: [DataValueInput]
    private var reader: CSVReaderState?
    private var position = 0
    /// How many inputs there are, or at most, for reserving space.
    public let expected: Int
    /// Rows of the wrong shape (a CSV line with too few or too many fields). Reading goes on past
    /// them, so that every one is reported; a submission with any is refused.
    public private(set) var shapeErrors: [RowError] = []

    /// Inputs already at hand, with the problems of those that could not be read.
    public init(_ inputs: [DataValueInput], shapeErrors: [RowError] = []) {
        self.inputs = inputs
        self.shapeErrors = shapeErrors
        expected = inputs.count
    }

    /// Every input left, at once (`shapeErrors` then holds every row of the wrong shape).
    public mutating func all() throws(ValidationFailure) -> [DataValueInput] {
        var inputs: [DataValueInput] = []
        inputs.reserveCapacity(expected)
        while let part = try next(upTo: 50_000) { inputs += part }
        return inputs
    }

    /// A CSV file, `indicator,unit,period,value[,comment][,evidence]` in any order by header. The
    /// header is read here: an unreadable or empty file, or one without a required column, is
    /// refused at once.
    public static func csv(_ bytes: [UInt8]) throws(ValidationFailure) -> DataValueParts {
        var cursor = CSVCursor(bytes)
        var header: [String] = []
        let first = cursor.next(into: &header)
        if !cursor.problems.isEmpty { throw ValidationFailure(cursor.problems) }
        guard first != nil else {
            throw ValidationFailure([RowError(line: 1, column: nil, reason: "the file is empty")])
        }
        let names = header.map { $0.trimmingWhitespace() }
        var position: [String: Int] = [:]
        var errors: [RowError] = []
        for (index, name) in names.enumerated() {
            if position[name] != nil {
                errors.append(RowError(line: 1, column: name, reason: "the column \(name) appears twice"))
            } else if !DataValueFile.columns.contains(name) && !DataValueFile.passedOver.contains(name) {
                errors.append(
                    RowError(
                        line: 1, column: name,
                        reason: "unknown column \"\(name)\"; the columns are "
                            + DataValueFile.columns.joined(separator: ", ")))
            }
            position[name] = position[name] ?? index
        }
        let missing = DataValueFile.required.filter { position[$0] == nil }
        if !missing.isEmpty {
            errors.append(
                RowError(line: 1, column: nil, reason: "missing column(s): \(missing.joined(separator: ", "))"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        var parts = DataValueParts(expected: cursor.lineFeedsLeft + (bytes.last == UInt8(ascii: "\n") ? 0 : 1))
        parts.reader = CSVReaderState(
            cursor: cursor, columnCount: names.count, indicator: position["indicator"] ?? 0,
            unit: position["unit"] ?? 0, period: position["period"] ?? 0, value: position["value"] ?? 0,
            comment: position["comment"], evidence: position["evidence"])
        return parts
    }

    private init(expected: Int) {
        inputs = []
        self.expected = expected
    }

    /// The next inputs, at most `count` of them; nil once all are handed over. Records that
    /// cannot be read (an unclosed quote, a field that is not UTF-8) are added to `shapeErrors`.
    public mutating func next(upTo count: Int) throws(ValidationFailure) -> [DataValueInput]? {
        if reader != nil {
            return reader?.next(upTo: count, shapeErrors: &shapeErrors)
        }
        guard position < inputs.count else { return nil }
        let end = min(inputs.count, position + count)
        defer { position = end }
        return Array(inputs[position..<end])
    }
}

/// Where a CSV submission is, and where its columns are.
private struct CSVReaderState: Sendable {
    var cursor: CSVCursor
    let columnCount: Int
    let indicator: Int
    let unit: Int
    let period: Int
    let value: Int
    let comment: Int?
    let evidence: Int?
    var fields: [String] = []

    mutating func next(upTo count: Int, shapeErrors: inout [RowError]) -> [DataValueInput]? {
        var inputs: [DataValueInput] = []
        inputs.reserveCapacity(count)
        var reported = cursor.problems.count
        defer {
            // The records the cursor could not read, in file order among the rows of the wrong shape.
            if cursor.problems.count > reported { shapeErrors += cursor.problems[reported...] }
        }
        while inputs.count < count, let line = cursor.next(into: &fields) {
            if cursor.problems.count > reported {
                shapeErrors += cursor.problems[reported...]
                reported = cursor.problems.count
            }
            guard fields.count == columnCount else {
                shapeErrors.append(
                    RowError(line: line, column: nil, reason: "expected \(columnCount) fields, found \(fields.count)"))
                continue
            }
            inputs.append(
                DataValueInput(
                    key: DataValueKey(
                        indicator: fields[indicator].trimmingWhitespace(), unit: fields[unit].trimmingWhitespace(),
                        period: fields[period].trimmingWhitespace()),
                    value: fields[value], comment: optional(comment), evidence: optional(evidence),
                    origin: .line(line)))
        }
        return inputs.isEmpty ? nil : inputs
    }

    /// An optional column's field: nil without the column (what is stored stays), empty when the
    /// column is there and the field blank (what is stored is cleared); an export's apostrophe
    /// before a formula is taken off (`CSVField.restored`).
    private func optional(_ index: Int?) -> String? {
        guard let index else { return nil }
        return CSVField.restored(fields[index].trimmingWhitespace())
    }
}
