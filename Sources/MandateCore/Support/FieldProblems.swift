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

    /// `text` as a day written `YYYY-MM-DD`; nil, with the problem noted, when it is not one.
    public mutating func day(_ field: String, _ text: String) -> CivilDate? {
        guard let day = Self.day(text) else {
            errors.append(Self.notADay(field, text))
            return nil
        }
        return day
    }

    /// `text` as a day written `YYYY-MM-DD` (exactly ten characters), or nil.
    public static func day(_ text: String) -> CivilDate? {
        text.count == 10 ? CivilDate(iso: text) : nil
    }

    /// The problem of `field` holding `text`, which is not a day written `YYYY-MM-DD`.
    public static func notADay(_ field: String, _ text: String) -> RowError {
        RowError(
            line: nil, column: field, en: "expected a date YYYY-MM-DD, got \"\(text)\"",
            vi: "cần ngày dạng YYYY-MM-DD, nhận \"\(text)\"")
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
