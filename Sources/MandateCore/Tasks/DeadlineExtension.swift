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

    /// Checks the request against the task (which must take one: `TaskWorkflow`) and its working
    /// deadline; every problem with the input names its field, and a request still awaiting a
    /// decision is a conflict.
    public func check(
        for task: ProgrammeTask, progress: TaskProgress, extensions: [DeadlineExtension] = []
    ) throws -> (CivilDate, String) {
        var errors: [RowError] = []
        let refusal = TaskWorkflow.refusal(
            .requestExtension, in: TaskWorkflow.State(task, progress: progress, extensions: extensions))
        if let refusal, refusal.kind == .invalid { errors.append(refusal.rowError) }
        let day = FieldProblems.day(deadline)
        if day == nil {
            errors.append(FieldProblems.notADay("deadline", deadline))
        } else if let day, day <= progress.workingDeadline {
            errors.append(
                RowError(
                    line: nil, column: "deadline",
                    reason: "the new deadline must be after the current one, \(progress.workingDeadline)"))
        }
        var reason = ""
        do { reason = try TaskWorkflow.reason(self.reason) } catch { errors += error.errors }
        guard errors.isEmpty, let day else { throw ValidationFailure(errors) }
        if let refusal { throw refusal.error }
        return (day, reason)
    }
}
