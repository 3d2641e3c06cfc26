import MandateCore
import MandateStore

/// What a reader is shown and offered: the same decisions the writes make, asked before a page
/// shows a form (`TaskWorkflow.permits`, `Authorizer`) and before the API or a page shows a
/// report or a name (`TaskDisclosure`).
extension TaskService {
    /// The places in the unit tree of `codes`; an unknown unit has none.
    func paths(_ codes: some Sequence<String>) async throws -> [String: UnitPath] {
        var paths: [String: UnitPath] = [:]
        for code in Set(codes) {
            if let path = try await units.path(of: code) { paths[code] = path }
        }
        return paths
    }

    /// What `reader` is shown of `task`.
    func disclosure(_ task: ProgrammeTask, reader: Principal) async throws -> TaskDisclosure {
        TaskDisclosure(task: task, reader: reader, units: try await paths(task.reportingUnits))
    }

    /// The units whose proposals and recommendations awaiting sign-off `reader` is shown, for a list.
    func unsignedUnits(shownTo reader: Principal) async throws -> Set<String> {
        guard reader.membership != nil else { return [] }
        return SignOff.unsignedShown(to: reader, of: try await paths(try await tasks.unitsAwaitingSignOff()))
    }

    /// Whether `principal` may do `action` on `unit` (a write outside a task's workflow: assign,
    /// propose, raise or answer a recommendation).
    func may(_ principal: Principal, _ action: Action, on unit: String) async throws -> Bool {
        try await access.may(principal, action, on: unit)
    }
}

/// The steps one reader may take on one task, decided as the writes decide them.
struct TaskOffers {
    let principal: Principal
    let state: TaskWorkflow.State
    let paths: [String: UnitPath]

    /// Whether `step` on `unit` (with `on` the report or request it acts on) would be accepted.
    func offers(_ step: TaskStep, on unit: String, subject: (TaskWorkflow.State) -> TaskWorkflow.State = { $0 }) -> Bool
    {
        guard let path = paths[unit] else { return false }
        return TaskWorkflow.permits(principal, step, in: subject(state), target: path)
    }

    func offers(_ step: TaskStep, on report: TaskReport) -> Bool {
        offers(step, on: report.unit) { $0.on(report) }
    }

    func offers(_ step: TaskStep, on request: DeadlineExtension) -> Bool {
        offers(step, on: request.unit) { $0.on(request) }
    }
}
