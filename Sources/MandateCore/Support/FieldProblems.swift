/// The problems a check finds in a document, field by field, each worded in both languages the
/// product speaks: the API and the command line give the English, the pages the reader's.
public struct FieldProblems: Sendable {
    public private(set) var errors: [RowError] = []

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    /// Notes that `field` is wrong, and why.
    public mutating func fail(_ field: String, _ english: String, _ vietnamese: String) {
        errors.append(RowError(line: nil, column: field, en: english, vi: vietnamese))
    }

    /// Notes problems found by another check.
    public mutating func append(contentsOf others: [RowError]) {
        errors.append(contentsOf: others)
    }

    /// Throws every problem noted; returns when there is none.
    public func check() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
