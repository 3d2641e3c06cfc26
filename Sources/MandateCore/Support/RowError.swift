/// What is wrong with one row (or one field) of submitted data.
public struct RowError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line in the file; nil for input that is not a file.
    public var line: Int?
    /// The column or field name at fault, if one.
    public var column: String?
    /// The reason in English, as the API and the command line give it.
    public var reason: String
    /// The reason in Vietnamese, where the check that found the problem words it (the pages show
    /// it to a Vietnamese reader; `reason(in:)`).
    public var vietnamese: String?

    public init(line: Int?, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// A problem worded in both languages the product speaks.
    public init(line: Int?, column: String?, en: String, vi: String) {
        self.init(line: line, column: column, reason: en)
        vietnamese = vi
    }

    /// The reason in `language`: English when no Vietnamese wording was given.
    public func reason(in language: Language) -> String {
        language == .vi ? vietnamese ?? reason : reason
    }

    /// "dòng 3, cột unit: …" or "line 3, column unit: …", in `language`.
    public func description(in language: Language) -> String {
        guard language == .vi else { return description }
        var parts: [String] = []
        if let line { parts.append("dòng \(line)") }
        if let column { parts.append(line == nil ? column : "cột \(column)") }
        let reason = reason(in: language)
        return parts.isEmpty ? reason : "\(parts.joined(separator: ", ")): \(reason)"
    }

    enum CodingKeys: String, CodingKey {
        case line, column, reason
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
