import Crypto
import Foundation

/// Where a progress report is in its review: recorded by a reporter, submitted by the unit head,
/// then accepted or returned by the committee.
public enum ReportState: String, Codable, Sendable, CaseIterable {
    case draft, submitted, accepted, returned
}

/// A file attached to a report as evidence, known by its SHA-256.
public struct EvidenceFile: Codable, Sendable, Hashable {
    public var sha256: String
    public var name: String
    public var contentType: String
    public var size: Int

    public init(sha256: String, name: String, contentType: String, size: Int) {
        self.sha256 = sha256
        self.name = name
        self.contentType = contentType
        self.size = size
    }

    /// The largest file a report takes.
    public static let maximumSize = 20 * 1024 * 1024

    /// Checks a file's name and size; the name is kept only as a label.
    public static func check(name: String, size: Int) throws(ValidationFailure) -> String {
        let name = HumanText.cleaned(name)
        if name.isEmpty || name.count > 200 || name.contains("/") || name.contains("\\") {
            throw ValidationFailure(field: "name", reason: "a file name has 1 to 200 characters and no slashes")
        }
        if size == 0 { throw ValidationFailure(field: "file", reason: "the file is empty") }
        if size > maximumSize {
            throw ValidationFailure(field: "file", reason: "a file may be at most 20 MB; this one has \(size) bytes")
        }
        return name
    }
}

/// One unit's progress report on a task.
public struct TaskReport: Codable, Sendable, Hashable {
    public var id: String
    public var task: String
    public var unit: String
    public var percent: Int
    public var narrative: String
    public var links: [String]
    public var files: [EvidenceFile]
    public var state: ReportState
    public var createdBy: String?
    public var createdAt: String
    public var submittedBy: String?
    public var submittedAt: String?
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionComment: String?
    public var illustrative: Bool

    public init(
        id: String, task: String, unit: String, percent: Int, narrative: String, links: [String],
        files: [EvidenceFile] = [], state: ReportState, createdBy: String?, createdAt: String,
        submittedBy: String? = nil, submittedAt: String? = nil, decidedBy: String? = nil, decidedAt: String? = nil,
        decisionComment: String? = nil, illustrative: Bool = false
    ) {
        self.id = id
        self.task = task
        self.unit = unit
        self.percent = percent
        self.narrative = narrative
        self.links = links
        self.files = files
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.submittedBy = submittedBy
        self.submittedAt = submittedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionComment = decisionComment
        self.illustrative = illustrative
    }

    /// The report that delivers the task: the lead unit's, at 100 %.
    public func isFinal(for task: ProgrammeTask) -> Bool {
        unit == task.leadUnit && percent == 100
    }

    /// Demonstration content: a report recorded as such, or any report on an illustrative task.
    /// The one rule the log's fact, the API and the pages follow.
    public func isIllustrative(onIllustrativeTask taskIsIllustrative: Bool) -> Bool {
        illustrative || taskIsIllustrative
    }

    /// The report as it enters the transparency log once accepted: units, dates, percent and
    /// hashes of its narrative and evidence; never who wrote or reviewed it. `evidence` lists the
    /// files' SHA-256 in the order of `files`, then `link:` and the SHA-256 of each link's UTF-8
    /// text, comma-separated (docs/TRANSPARENCY.md).
    public func publishedFact(onIllustrativeTask taskIsIllustrative: Bool) throws(ValidationFailure) -> PublishedFact {
        var fields = [
            "task": task, "unit": unit, "percent": String(percent),
            "submitted": submittedAt ?? "", "accepted": decidedAt ?? "",
            "narrativeSha256": SHA256Hex.of(Data(narrative.utf8)),
            "evidence": (files.map(\.sha256) + links.map { "link:" + SHA256Hex.of(Data($0.utf8)) }).joined(
                separator: ","),
        ]
        if isIllustrative(onIllustrativeTask: taskIsIllustrative) { fields["illustrative"] = "true" }
        return try PublishedFact(kind: .acceptedReport, key: "accepted-report/\(task)/\(unit)/\(id)", fields: fields)
    }
}

/// What a reporter sends to record progress.
public struct ProgressInput: Codable, Sendable, Hashable {
    public var unit: String
    public var percent: Int
    public var narrative: String
    public var links: [String]?

    public init(unit: String, percent: Int, narrative: String, links: [String]? = nil) {
        self.unit = unit
        self.percent = percent
        self.narrative = narrative
        self.links = links
    }

    /// Checks the input against the task (which must take reports: `TaskWorkflow`); every problem
    /// names its field.
    public func check(
        for task: ProgrammeTask, progress: TaskProgress? = nil
    ) throws(ValidationFailure) -> (narrative: String, links: [String]) {
        var errors: [RowError] = []
        func fail(_ field: String, _ reason: String) {
            errors.append(RowError(line: nil, column: field, reason: reason))
        }
        let state = TaskWorkflow.State(task, progress: progress ?? TaskProgress.of(task, reports: [], extensions: []))
        if let refusal = TaskWorkflow.refusal(.recordProgress, in: state) { errors.append(refusal.rowError) }
        if !task.reportingUnits.contains(unit) {
            fail("unit", "\(unit) neither leads nor coordinates task \(task.code)")
        }
        if !(0...100).contains(percent) { fail("percent", "a percent is between 0 and 100, got \(percent)") }
        let narrative = HumanText.cleaned(narrative, multiline: true)
        if narrative.isEmpty || narrative.count > 20_000 {
            fail("narrative", "the narrative is required (up to 20,000 characters)")
        }
        var links: [String] = []
        for link in self.links ?? [] {
            let link = link.trimmingWhitespace()
            if link.isEmpty { continue }
            if !WebLink.isValid(link) {
                fail("links", "an evidence link is an http(s) address, got \"\(link.prefix(80))\"")
            } else {
                links.append(link)
            }
        }
        if links.count > 20 { fail("links", "a report has at most 20 links") }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return (narrative, links)
    }
}

/// Lower-case hexadecimal SHA-256.
public enum SHA256Hex {
    public static func of(_ data: Data) -> String {
        Hex.lowercase(SHA256.hash(data: data))
    }
}
