/// Where a task stands for its workflow: which steps it still takes.
public enum TaskPhase: String, Codable, Sendable, CaseIterable {
    /// A reporter's proposal its unit head has not signed off yet: seen inside the unit only.
    case awaitingSignOff = "awaiting_sign_off"
    /// A unit's proposal the committee has not adopted yet.
    case proposed
    /// Assigned or adopted, neither delivered nor cancelled: it takes reports and extensions.
    case open
    /// The lead unit's final report was accepted.
    case accepted
    case cancelled

    /// The phase of `task`, from its summary; cancellation comes first, then a pending proposal
    /// (awaiting its unit head's sign-off, then the committee's adoption).
    public static func of(_ task: ProgrammeTask, progress: TaskProgress) -> TaskPhase {
        if task.cancelledAt != nil { return .cancelled }
        if task.isPendingProposal { return task.isSignedOff ? .proposed : .awaitingSignOff }
        if progress.acceptedSubmittedOn != nil { return .accepted }
        return .open
    }
}

/// A step of a task's workflow, as the API and the task page's forms take it.
public enum TaskStep: String, Codable, Sendable, CaseIterable {
    case recordProgress = "record_progress"
    case attachFile = "attach_file"
    /// Changing a draft report's percent, narrative or links.
    case editReport = "edit_report"
    /// Taking back a draft report before it is submitted.
    case withdrawReport = "withdraw_report"
    case submitReport = "submit_report"
    case acceptReport = "accept_report"
    case returnReport = "return_report"
    case signOff = "sign_off"
    case adopt
    case cancel
    case requestExtension = "request_extension"
    case decideExtension = "decide_extension"

    /// What the step acts on.
    public enum Subject: Sendable {
        case task, report, extensionRequest
    }

    public var subject: Subject {
        switch self {
        case .attachFile, .editReport, .withdrawReport, .submitReport, .acceptReport, .returnReport: .report
        case .decideExtension: .extensionRequest
        case .recordProgress, .signOff, .adopt, .cancel, .requestExtension: .task
        }
    }

    /// What `Authorizer` must allow, on the unit the step is for: the unit reported for (record
    /// progress), the report's unit (the other report steps), the request's unit (a decision on
    /// an extension), the task's lead unit (sign off, adopt, cancel, request an extension).
    public var action: Action {
        switch self {
        case .recordProgress, .attachFile, .editReport, .withdrawReport: .reportProgress
        case .submitReport: .submitReport
        case .acceptReport, .returnReport: .reviewReport
        case .signOff: .signOff
        case .adopt: .adoptProposal
        case .cancel: .assignTask
        case .requestExtension: .requestExtension
        case .decideExtension: .decideExtension
        }
    }
}

/// A step refused for the state of what it acts on (409, `StateConflict`) or for what it was
/// given (422, `ValidationFailure`); nothing is changed.
public struct WorkflowRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The state of the task, report or request forbids the step.
        case conflict
        /// The step's input cannot be taken (e.g. a report for a task that takes none).
        case invalid
    }

    public var kind: Kind
    public var field: String
    public var reason: String

    public static func conflict(_ field: String, _ reason: String) -> WorkflowRefusal {
        WorkflowRefusal(kind: .conflict, field: field, reason: reason)
    }

    public static func invalid(_ field: String, _ reason: String) -> WorkflowRefusal {
        WorkflowRefusal(kind: .invalid, field: field, reason: reason)
    }

    /// The refusal as the store throws it.
    public var error: any Error {
        switch kind {
        case .conflict: StateConflict(field: field, reason)
        case .invalid: ValidationFailure(field: field, reason: reason)
        }
    }

    public var rowError: RowError { RowError(line: nil, column: field, reason: reason) }

    public var description: String { "\(field): \(reason)" }
}
