import Testing

@testable import MandateCore

/// The whole workflow: every step × every task phase × every state of the report or request it
/// acts on, against an expectation written out by hand; then who may take each step.
@Suite struct TaskWorkflowTests {
    /// What each step needs, written independently of the implementation: (allowed phases,
    /// allowed report states) for report steps, allowed phases otherwise.
    static let phases: [TaskStep: Set<TaskPhase>] = [
        .recordProgress: [.open], .attachFile: [.open], .editReport: [.open], .withdrawReport: [.open],
        .submitReport: [.open], .acceptReport: [.open, .accepted],
        .returnReport: [.open, .accepted], .signOff: [.awaitingSignOff], .adopt: [.proposed],
        .cancel: [.awaitingSignOff, .proposed, .open],
        .requestExtension: [.open], .decideExtension: Set(TaskPhase.allCases),
    ]
    static let reportStates: [TaskStep: Set<ReportState>] = [
        .attachFile: [.draft], .editReport: [.draft], .withdrawReport: [.draft], .submitReport: [.draft],
        .acceptReport: [.submitted], .returnReport: [.submitted],
    ]

    static func state(_ phase: TaskPhase, report: ReportState? = nil, files: Int = 0) -> TaskWorkflow.State {
        TaskWorkflow.State(
            task: "T1", origin: [.proposed, .awaitingSignOff].contains(phase) ? .proposed : .assigned, phase: phase,
            report: report.map { TaskWorkflow.ReportFacts(id: "r1", state: $0, files: files) })
    }

    @Test(arguments: TaskStep.allCases)
    func everyStepInEveryPhaseAndReportState(step: TaskStep) {
        let reportStates: [ReportState?] = step.subject == .report ? ReportState.allCases : [nil]
        for phase in TaskPhase.allCases {
            for reportState in reportStates {
                var state = Self.state(phase, report: reportState)
                if step == .decideExtension { state.request = TaskWorkflow.RequestFacts(id: "e1", state: .pending) }
                let expected =
                    Self.phases[step]?.contains(phase) == true
                    && (reportState.map { Self.reportStates[step]?.contains($0) == true } ?? true)
                let refusal = TaskWorkflow.refusal(step, in: state)
                #expect(
                    (refusal == nil) == expected,
                    "\(step) in a \(phase) task, report \(reportState?.rawValue ?? "-"): \(refusal?.description ?? "allowed")"
                )
            }
        }
    }

    @Test func refusalsNameTheirFieldAndKind() {
        func refusal(_ step: TaskStep, _ state: TaskWorkflow.State) -> WorkflowRefusal? {
            TaskWorkflow.refusal(step, in: state)
        }
        // A report for a task that takes none is bad input (422); a step on a report or a task in
        // the wrong state is a conflict (409), the report's state named before the task's.
        #expect(refusal(.recordProgress, Self.state(.cancelled)) == .invalid("task", "task T1 is cancelled"))
        #expect(refusal(.recordProgress, Self.state(.accepted))?.kind == .invalid)
        #expect(refusal(.recordProgress, Self.state(.proposed))?.reason == "task T1 is a proposal not yet adopted")
        #expect(
            refusal(.submitReport, Self.state(.cancelled, report: .submitted))
                == .conflict("report", "report r1 is already submitted"))
        #expect(
            refusal(.submitReport, Self.state(.cancelled, report: .draft)) == .conflict("task", "task T1 is cancelled"))
        #expect(
            refusal(.acceptReport, Self.state(.open, report: .draft))
                == .conflict("report", "report r1 has not been submitted"))
        #expect(
            refusal(.returnReport, Self.state(.open, report: .accepted))
                == .conflict("report", "report r1 was already accepted"))
        #expect(
            refusal(.attachFile, Self.state(.open, report: .draft, files: 20))
                == .invalid("file", "a report has at most 20 files"))
        #expect(refusal(.attachFile, Self.state(.open, report: .draft, files: 19)) == nil)
        #expect(refusal(.adopt, Self.state(.open)) == .conflict("task", "task T1 was assigned, not proposed"))
        var adopted = Self.state(.open)
        adopted.origin = .proposed
        #expect(refusal(.adopt, adopted) == .conflict("task", "task T1 is no longer awaiting adoption"))
        #expect(
            refusal(.adopt, Self.state(.awaitingSignOff))
                == .conflict("task", "task T1 is a proposal awaiting its unit head's sign-off"))
        #expect(refusal(.signOff, Self.state(.open)) == .conflict("task", "task T1 was assigned, not proposed"))
        #expect(
            refusal(.signOff, Self.state(.proposed)) == .conflict("task", "task T1 is no longer awaiting sign-off"))
        #expect(refusal(.recordProgress, Self.state(.awaitingSignOff))?.kind == .invalid)
        #expect(refusal(.cancel, Self.state(.cancelled)) == .conflict("task", "task T1 is already cancelled"))
        #expect(refusal(.cancel, Self.state(.accepted)) == .conflict("task", "task T1 is already accepted"))
        var pending = Self.state(.open)
        pending.pendingExtension = "e0"
        #expect(
            refusal(.requestExtension, pending)
                == .conflict("task", "extension e0 of task T1 is still awaiting a decision"))
        #expect(refusal(.requestExtension, Self.state(.accepted))?.kind == .invalid)
        for decided in [ExtensionState.granted, .refused] {
            var state = Self.state(.open)
            state.request = TaskWorkflow.RequestFacts(id: "e1", state: decided)
            #expect(
                refusal(.decideExtension, state)
                    == .conflict("extension", "extension e1 was already \(decided.rawValue)"))
        }
        // A report step that names no report, a decision that names no request: refused.
        #expect(refusal(.submitReport, Self.state(.open))?.kind == .conflict)
        #expect(refusal(.decideExtension, Self.state(.open))?.kind == .conflict)
    }

    @Test func theStateIsReadFromTheTaskItsSummaryAndItsRequests() throws {
        let task = try #require(
            try? TaskDraft(
                code: "T1", title: "t", deliverable: "d", programme: "P", leadUnit: "01", start: "2026-01-01",
                deadline: "2026-03-31"
            ).task(
                origin: .assigned, at: "2026-01-01", isKnownUnit: { _ in true }, orientations: ["P": []],
                isKnownIndicator: { _ in false }))
        var progress = TaskProgress.of(task, reports: [], extensions: [])
        let request = DeadlineExtension(
            id: "e1", task: "T1", unit: "01", requestedDeadline: CivilDate(iso: "2026-04-30")!, reason: "r",
            requestedBy: nil, requestedAt: "2026-03-01")
        let state = TaskWorkflow.State(task, progress: progress, extensions: [request])
        #expect(state.phase == .open && state.pendingExtension == "e1")
        progress.acceptedSubmittedOn = CivilDate(iso: "2026-03-30")
        #expect(TaskPhase.of(task, progress: progress) == .accepted)
        var cancelled = task
        cancelled.cancelledAt = "2026-02-01"
        #expect(TaskPhase.of(cancelled, progress: progress) == .cancelled)
        var proposal = task
        proposal.origin = .proposed
        let fresh = TaskProgress.of(proposal, reports: [], extensions: [])
        #expect(TaskPhase.of(proposal, progress: fresh) == .awaitingSignOff)
        #expect(TaskStatus.of(proposal, progress: fresh, today: CivilDate(iso: "2026-01-02")!) == .awaitingSignOff)
        #expect(!proposal.isSignedOff && task.isSignedOff)
        proposal.signedOffAt = "2026-01-02T08:00:00Z"
        #expect(TaskPhase.of(proposal, progress: fresh) == .proposed)
        proposal.cancelledAt = "2026-01-03T08:00:00Z"
        #expect(TaskPhase.of(proposal, progress: fresh) == .cancelled)
    }

    @Test func theLimitsAndTheirMessages() throws {
        #expect(try TaskWorkflow.comment("  ", for: .acceptReport) == nil)
        #expect(try TaskWorkflow.comment(" Đạt ", for: .acceptReport) == "Đạt")
        #expect(throws: ValidationFailure.self) { try TaskWorkflow.comment(" ", for: .returnReport) }
        #expect(throws: ValidationFailure.self) {
            try TaskWorkflow.comment(String(repeating: "x", count: 5001), for: .decideExtension)
        }
        #expect(try TaskWorkflow.reason(" Trùng lặp ") == "Trùng lặp")
        #expect(throws: ValidationFailure.self) { try TaskWorkflow.reason("") }
        let report = TaskReport(
            id: "r1", task: "T1", unit: "01", percent: 10, narrative: "n", links: [],
            files: [EvidenceFile(sha256: "ab", name: "a", contentType: "text/plain", size: 1)], state: .draft,
            createdBy: nil, createdAt: "2026-01-01")
        #expect(throws: StateConflict.self) { try TaskWorkflow.checkNewFile("ab", on: report) }
        try TaskWorkflow.checkNewFile("cd", on: report)
    }

    // MARK: For whom

    enum Relation: String, CaseIterable, Sendable {
        case own, below, above
    }

    /// Who may take each step on a unit, written out by hand: a unit's own reporting (progress,
    /// files, extension requests) by its reporters and heads and committee roles; submitting by
    /// its head and admins, as is signing off a proposal; the committee's decisions by committee
    /// roles. Viewers never.
    static func mayAct(_ role: Role, _ relation: Relation, _ step: TaskStep) -> Bool {
        switch step {
        case .recordProgress, .attachFile, .editReport, .withdrawReport, .requestExtension:
            role.isCommitteeRole || ([.unitHead, .unitReporter].contains(role) && relation == .own)
        case .submitReport, .signOff: role == .admin || (role == .unitHead && relation == .own)
        case .acceptReport, .returnReport, .adopt, .cancel, .decideExtension: role.isCommitteeRole
        }
    }

    /// The state in which each step is allowed.
    static func allowedState(_ step: TaskStep) -> TaskWorkflow.State {
        switch step {
        case .attachFile, .editReport, .withdrawReport, .submitReport: state(.open, report: .draft)
        case .acceptReport, .returnReport: state(.open, report: .submitted)
        case .signOff: state(.awaitingSignOff)
        case .adopt: state(.proposed)
        case .decideExtension:
            TaskWorkflow.State(
                task: "T1", origin: .assigned, phase: .open,
                request: TaskWorkflow.RequestFacts(id: "e1", state: .pending))
        default: state(.open)
        }
    }

    @Test(arguments: Role.allCases)
    func whoMayTakeEachStep(role: Role) {
        let userUnit = role.isCommitteeRole ? "BCD" : "01"
        let paths: [Relation: UnitPath] =
            role.isCommitteeRole
            ? [.own: UnitPath(["BCD"]), .below: UnitPath(["01", "BCD"]), .above: UnitPath(["ROOT"])]
            : [.own: UnitPath(["01", "BCD"]), .below: UnitPath(["00004", "01", "BCD"]), .above: UnitPath(["BCD"])]
        for step in TaskStep.allCases {
            for relation in Relation.allCases {
                let target = paths[relation] ?? UnitPath([])
                for principal in [Principal.user(role: role, unit: userUnit), .token(role: role, unit: userUnit)] {
                    #expect(
                        TaskWorkflow.permits(principal, step, in: Self.allowedState(step), target: target)
                            == Self.mayAct(role, relation, step),
                        "\(role.rawValue) on the \(relation.rawValue) unit: \(step)")
                    // Never in a state that refuses the step, whoever asks.
                    #expect(!TaskWorkflow.permits(principal, step, in: Self.state(.cancelled), target: target))
                }
                #expect(!TaskWorkflow.permits(.anonymous, step, in: Self.allowedState(step), target: target))
            }
        }
    }
}
