import Foundation

/// What the catalogue knows of a database besides its own description: the committee's
/// expectation, the latest audit, the latest answers of its links, and the latest sample checked.
public struct QualityEvidence: Sendable, Hashable {
    /// The record count the committee expects of it, if declared.
    public var expectedRecords: Int?
    public var audit: DatabaseAudit?
    /// The latest probe of each link (access and download URLs), by URL.
    public var probes: [String: LinkProbe]
    public var sample: SampleCheck?

    public init(
        expectedRecords: Int? = nil, audit: DatabaseAudit? = nil, probes: [String: LinkProbe] = [:],
        sample: SampleCheck? = nil
    ) {
        self.expectedRecords = expectedRecords
        self.audit = audit
        self.probes = probes
        self.sample = sample
    }
}

/// A committee analyst's sampled audit of a database: how many records were checked against their
/// source, how many were wrong, and the outcome.
public struct DatabaseAudit: Codable, Sendable, Hashable {
    public var auditedOn: CivilDate
    public var sampled: Int
    public var wrong: Int
    public var passed: Bool
    public var findings: String
    /// A link to the audit's evidence (a report, minutes).
    public var evidence: String

    public init(auditedOn: CivilDate, sampled: Int, wrong: Int, passed: Bool, findings: String, evidence: String) {
        self.auditedOn = auditedOn
        self.sampled = sampled
        self.wrong = wrong
        self.passed = passed
        self.findings = findings
        self.evidence = evidence
    }
}

/// One request made to a distribution's link, and whether it answered (a status below 400 within
/// the time allowed).
public struct LinkProbe: Codable, Sendable, Hashable {
    public var url: String
    public var checkedAt: String
    public var status: Int?
    public var answered: Bool

    public init(url: String, checkedAt: String, status: Int?, answered: Bool) {
        self.url = url
        self.checkedAt = checkedAt
        self.status = status
        self.answered = answered
    }
}

/// The outcome of checking a sample file of a distribution (`SampleCheck.of`).
public struct SampleCheck: Codable, Sendable, Hashable {
    public var checkedOn: CivilDate
    public var rows: Int
    public var duplicateRows: Int
    /// What does not conform to the declared format and columns, in English (empty if nothing).
    public var problems: [String]

    public init(checkedOn: CivilDate, rows: Int, duplicateRows: Int, problems: [String]) {
        self.checkedOn = checkedOn
        self.rows = rows
        self.duplicateRows = duplicateRows
        self.problems = problems
    }
}

extension SampleCheck {
    /// The most rows of a sample that are read.
    public static let maximumRows = 100_000

    /// Checks a sample of `distribution`'s data, sent as bytes: a CSV sample must read as CSV
    /// (UTF-8, quotes closed, every row as wide as the header), with the declared columns in their
    /// order where some are declared; JSON must parse. Duplicate rows (the same fields) are
    /// counted. Other formats are refused: nothing to check them by.
    public static func of(
        _ bytes: [UInt8], distribution: Distribution, on day: CivilDate
    )
        throws(ValidationFailure) -> SampleCheck
    {
        switch distribution.format {
        case .csv?: return csv(bytes, columns: distribution.columns, on: day)
        case .json?, .jsonLD?, .geoJSON?:
            let parses = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            return SampleCheck(
                checkedOn: day, rows: parses ? 1 : 0, duplicateRows: 0,
                problems: parses ? [] : ["the sample is not JSON"])
        default:
            let format = distribution.format?.rawValue ?? "none"
            throw ValidationFailure([
                RowError(
                    line: nil, column: "format",
                    en: "a sample is checked for CSV and JSON distributions; this one's format is \(format)",
                    vi: "chỉ kiểm tra mẫu của phân phối CSV và JSON; định dạng của phân phối này là \(format)")
            ])
        }
    }

    static func csv(_ bytes: [UInt8], columns: [String], on day: CivilDate) -> SampleCheck {
        var problems: [String] = []
        guard let text = try? CSVReader.text(bytes) else {
            return SampleCheck(checkedOn: day, rows: 0, duplicateRows: 0, problems: ["the sample is not UTF-8 text"])
        }
        var cursor = CSVCursor(Array(text.utf8))
        var fields: [String] = []
        guard cursor.next(into: &fields) != nil else {
            return SampleCheck(checkedOn: day, rows: 0, duplicateRows: 0, problems: ["the sample is empty"])
        }
        let header = fields.map { $0.trimmingWhitespace() }
        if !columns.isEmpty, header != columns {
            problems.append("the columns are \(header.joined(separator: ", ")), not \(columns.joined(separator: ", "))")
        }
        var seen = Set<[String]>()
        var rows = 0
        var duplicates = 0
        var ragged: [Int] = []
        while rows < maximumRows, let line = cursor.next(into: &fields) {
            rows += 1
            if fields.count != header.count, ragged.count < 5 { ragged.append(line) }
            if !seen.insert(fields).inserted { duplicates += 1 }
        }
        if !ragged.isEmpty {
            problems.append(
                "line\(ragged.count == 1 ? "" : "s") \(ragged.map(String.init).joined(separator: ", ")) "
                    + "\(ragged.count == 1 ? "has" : "have") another number of fields than the header")
        }
        if let first = cursor.problems.first { problems.append(first.description) }
        return SampleCheck(checkedOn: day, rows: rows, duplicateRows: duplicates, problems: problems)
    }
}
