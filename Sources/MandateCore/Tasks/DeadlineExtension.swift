/// Where a request for a later deadline stands.
public enum ExtensionState: String, Codable, Sendable, CaseIterable {
    case pending, granted, refused
}

/// A lead unit's request for a later deadline, and the committee's decision on it.
public struct DeadlineExtension: Codable, Sendable, Hashable {
    public var id: String
    public var task: String
    public var unit: String
    public var requestedDeadline: CivilDate
    public var reason: String
    public var requestedBy: String?
    public var requestedAt: String
    public var state: ExtensionState
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionComment: String?

    public init(
        id: String, task: String, unit: String, requestedDeadline: CivilDate, reason: String, requestedBy: String?,
        requestedAt: String, state: ExtensionState = .pending, decidedBy: String? = nil, decidedAt: String? = nil,
        decisionComment: String? = nil
    ) {
        self.id = id
        self.task = task
        self.unit = unit
        self.requestedDeadline = requestedDeadline
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.state = state
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionComment = decisionComment
    }
}

/// What a lead unit sends to ask for more time.
public struct ExtensionInput: Codable, Sendable, Hashable {
    public var deadline: String
    public var reason: String

    public init(deadline: String, reason: String) {
        self.deadline = deadline
        self.reason = reason
    }

    /// Checks the request against the task and its current deadline.
    public func check(
        for task: ProgrammeTask, progress: TaskProgress
    ) throws(ValidationFailure) -> (
        CivilDate, String
    ) {
        var errors: [RowError] = []
        func fail(_ field: String, _ reason: String) {
            errors.append(RowError(line: nil, column: field, reason: reason))
        }
        if task.cancelledAt != nil { fail("task", "task \(task.code) is cancelled") }
        if task.isPendingProposal { fail("task", "task \(task.code) is a proposal not yet adopted") }
        if progress.acceptedSubmittedOn != nil { fail("task", "task \(task.code) is already accepted") }
        let day = CivilDate(iso: deadline)
        if day == nil || deadline.count != 10 {
            fail("deadline", "expected a date YYYY-MM-DD, got \"\(deadline)\"")
        } else if let day, day <= progress.workingDeadline {
            fail("deadline", "the new deadline must be after the current one, \(progress.workingDeadline)")
        }
        let reason = reason.trimmingWhitespace()
        if reason.isEmpty || reason.count > 5000 { fail("reason", "a reason is required (up to 5,000 characters)") }
        guard errors.isEmpty, let day else { throw ValidationFailure(errors) }
        return (day, reason)
    }
}
