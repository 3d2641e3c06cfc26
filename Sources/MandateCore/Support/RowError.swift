/// What is wrong with one row (or one field) of submitted data.
public struct RowError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line in the file; nil for input that is not a file.
    public var line: Int?
    /// The column or field name at fault, if one.
    public var column: String?
    public var reason: String

    public init(line: Int?, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// "line 3, column unit: reason" in a file; "field: reason" for a field of a document.
    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let column { parts.append(line == nil ? column : "column \(column)") }
        return parts.isEmpty ? reason : "\(parts.joined(separator: ", ")): \(reason)"
    }
}

/// Input rejected as a whole, with every problem found in it.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [RowError]

    public init(_ errors: [RowError]) {
        self.errors = errors
    }

    public init(field: String, reason: String) {
        self.errors = [RowError(line: nil, column: field, reason: reason)]
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
