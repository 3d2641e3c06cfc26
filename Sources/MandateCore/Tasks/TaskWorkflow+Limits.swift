extension TaskWorkflow {
    /// The most files a report takes.
    public static let maximumFiles = 20
    /// The longest comment on a decision (a report accepted or returned, an extension granted or
    /// refused).
    public static let maximumComment = 5000
    /// The longest reason for a cancellation or an extension request.
    public static let maximumReason = 5000

    /// The comment of a decision, trimmed; nil when there is none. Returning a report needs one.
    public static func comment(_ text: String?, for step: TaskStep) throws(ValidationFailure) -> String? {
        let comment = HumanText.cleaned(text ?? "", multiline: true)
        if step == .returnReport && comment.isEmpty {
            throw ValidationFailure(field: "comment", reason: "say why the report is returned")
        }
        if comment.count > maximumComment {
            throw ValidationFailure(field: "comment", reason: "a comment has at most 5,000 characters")
        }
        return comment.isEmpty ? nil : comment
    }

    /// The reason for a cancellation or an extension request, trimmed: required.
    public static func reason(_ text: String) throws(ValidationFailure) -> String {
        let reason = HumanText.cleaned(text, multiline: true)
        if reason.isEmpty || reason.count > maximumReason {
            throw ValidationFailure(field: "reason", reason: "a reason is required (up to 5,000 characters)")
        }
        return reason
    }

    /// Refuses a file `report` holds already (a file is known by its SHA-256).
    public static func checkNewFile(_ sha256: String, on report: TaskReport) throws(StateConflict) {
        if report.files.contains(where: { $0.sha256 == sha256 }) {
            throw StateConflict(field: "file", "this file is already attached to report \(report.id)")
        }
    }
}
