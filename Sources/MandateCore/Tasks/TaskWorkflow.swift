/// The one place that says which step of a task's workflow is allowed in which state, and for
/// whom; the store checks it inside the transaction of every write, and the API and the task
/// page ask it (through `permits`) before they offer a step.
///
/// | step | task phase | its subject | error otherwise |
/// |---|---|---|---|
/// | record progress | open | — | 422 `task` |
/// | attach a file | open | a draft report with fewer than 20 files | 409 `report`/`task`, 422 `file` |
/// | submit | open | a draft report | 409 `report`/`task` |
/// | accept, return | open or accepted | a submitted report | 409 `report`/`task` |
/// | sign off | awaiting sign-off | — | 409 `task` |
/// | adopt | proposed | — | 409 `task` |
/// | cancel | awaiting sign-off, proposed or open | — | 409 `task` |
/// | request an extension | open | no request awaiting a decision | 422 `task`, 409 `task` |
/// | grant, refuse an extension | any | a request awaiting a decision | 409 `extension` |
public enum TaskWorkflow {
    /// What a step is decided on: the task's phase and, for a step on a report or an extension
    /// request, where that stands.
    public struct State: Sendable, Hashable {
        public var task: String
        public var origin: TaskOrigin
        public var phase: TaskPhase
        /// The report a report step acts on.
        public var report: ReportFacts?
        /// The extension request a decision acts on.
        public var request: RequestFacts?
        /// The id of the task's extension request still awaiting a decision, if any.
        public var pendingExtension: String?

        public init(
            task: String, origin: TaskOrigin, phase: TaskPhase, report: ReportFacts? = nil,
            request: RequestFacts? = nil, pendingExtension: String? = nil
        ) {
            self.task = task
            self.origin = origin
            self.phase = phase
            self.report = report
            self.request = request
            self.pendingExtension = pendingExtension
        }

        /// The state of `task`, with the request of `extensions` that awaits a decision.
        public init(_ task: ProgrammeTask, progress: TaskProgress, extensions: [DeadlineExtension] = []) {
            self.init(
                task: task.code, origin: task.origin, phase: TaskPhase.of(task, progress: progress),
                pendingExtension: extensions.first { $0.state == .pending }?.id)
        }

        /// The same state, for a step on `report`.
        public func on(_ report: TaskReport) -> State {
            var state = self
            state.report = ReportFacts(id: report.id, state: report.state, files: report.files.count)
            return state
        }

        /// The same state, for a decision on `request`.
        public func on(_ request: DeadlineExtension) -> State {
            var state = self
            state.request = RequestFacts(id: request.id, state: request.state)
            return state
        }
    }

    public struct ReportFacts: Sendable, Hashable {
        public var id: String
        public var state: ReportState
        public var files: Int

        public init(id: String, state: ReportState, files: Int = 0) {
            self.id = id
            self.state = state
            self.files = files
        }
    }

    public struct RequestFacts: Sendable, Hashable {
        public var id: String
        public var state: ExtensionState

        public init(id: String, state: ExtensionState) {
            self.id = id
            self.state = state
        }
    }

    /// Why `step` may not be taken in `state`, or nil when it may. The state of the report or
    /// request comes first, then the task's phase, then the limit on files.
    public static func refusal(_ step: TaskStep, in state: State) -> WorkflowRefusal? {
        let task = state.task
        switch step {
        case .recordProgress:
            return state.phase == .open ? nil : .invalid("task", phaseReason(state))
        case .attachFile:
            guard let report = state.report else { return noReport }
            if report.state != .draft {
                return .conflict(
                    "report", "files attach to a draft report; report \(report.id) is \(report.state.rawValue)")
            }
            if state.phase != .open { return .conflict("task", phaseReason(state)) }
            if report.files >= maximumFiles { return .invalid("file", "a report has at most \(maximumFiles) files") }
            return nil
        case .editReport, .withdrawReport:
            guard let report = state.report else { return noReport }
            if report.state != .draft {
                let verb = step == .editReport ? "edited" : "withdrawn"
                return .conflict(
                    "report", "only a draft report is \(verb); report \(report.id) is \(report.state.rawValue)")
            }
            return state.phase == .open ? nil : .conflict("task", phaseReason(state))
        case .submitReport:
            guard let report = state.report else { return noReport }
            if report.state != .draft {
                return .conflict("report", "report \(report.id) is already \(report.state.rawValue)")
            }
            return state.phase == .open ? nil : .conflict("task", phaseReason(state))
        case .acceptReport, .returnReport:
            guard let report = state.report else { return noReport }
            if report.state != .submitted {
                return .conflict(
                    "report",
                    report.state == .draft
                        ? "report \(report.id) has not been submitted"
                        : "report \(report.id) was already \(report.state.rawValue)")
            }
            return state.phase == .open || state.phase == .accepted ? nil : .conflict("task", phaseReason(state))
        case .signOff:
            if state.phase == .awaitingSignOff { return nil }
            return .conflict(
                "task",
                state.origin == .assigned
                    ? "task \(task) was assigned, not proposed" : "task \(task) is no longer awaiting sign-off")
        case .adopt:
            if state.phase == .proposed { return nil }
            if state.phase == .awaitingSignOff { return .conflict("task", phaseReason(state)) }
            return .conflict(
                "task",
                state.origin == .assigned
                    ? "task \(task) was assigned, not proposed" : "task \(task) is no longer awaiting adoption")
        case .cancel:
            switch state.phase {
            case .awaitingSignOff, .proposed, .open: return nil
            case .cancelled: return .conflict("task", "task \(task) is already cancelled")
            case .accepted: return .conflict("task", phaseReason(state))
            }
        case .requestExtension:
            if state.phase != .open { return .invalid("task", phaseReason(state)) }
            if let pending = state.pendingExtension {
                return .conflict("task", "extension \(pending) of task \(task) is still awaiting a decision")
            }
            return nil
        case .decideExtension:
            guard let request = state.request else {
                return .conflict("extension", "the decision names no extension request")
            }
            if request.state != .pending {
                return .conflict("extension", "extension \(request.id) was already \(request.state.rawValue)")
            }
            return nil
        }
    }

    /// Throws the refusal of `step` in `state`, if any, as the store reports it.
    public static func check(_ step: TaskStep, in state: State) throws {
        if let refusal = refusal(step, in: state) { throw refusal.error }
    }

    /// Whether `principal` may take `step` in `state`, acting on the unit at `target`: what a page
    /// asks before it offers the step's form, and exactly what the write would decide.
    public static func permits(_ principal: Principal, _ step: TaskStep, in state: State, target: UnitPath) -> Bool {
        Authorizer.decide(principal, target: target, action: step.action).isAllowed && refusal(step, in: state) == nil
    }

    /// Why a task in this phase takes no such step.
    static func phaseReason(_ state: State) -> String {
        switch state.phase {
        case .awaitingSignOff: "task \(state.task) is a proposal awaiting its unit head's sign-off"
        case .proposed: "task \(state.task) is a proposal not yet adopted"
        case .cancelled: "task \(state.task) is cancelled"
        case .accepted: "task \(state.task) is already accepted"
        case .open: "task \(state.task) is open"
        }
    }

    static let noReport = WorkflowRefusal.conflict("report", "the step names no report")
}
