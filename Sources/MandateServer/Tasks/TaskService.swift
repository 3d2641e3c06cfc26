import Foundation
import Logging
import MandateCore
import MandateStore

/// The one write path of the task module, used by both the JSON API and the pages: each write is
/// authorised through `AccessGuard` (the step's `Action` on its unit) before the store checks the
/// step against `TaskWorkflow` in its transaction. Pages ask `offers` before they show a form.
struct TaskService: Sendable {
    let tasks: any TaskRepository
    let units: any UnitRepository
    let indicators: any IndicatorRepository
    let access: AccessGuard
    let clock: AppClock
    /// The escalation board and the delivery measures, kept until the task data or the day changes.
    let views: TaskViewCache
    /// Work plans from files (`WorkPlan`).
    let importer: TaskImporter
    /// Work plans read and checked at once, and waiting their turn.
    let workPlanImports = ConcurrencyGate(running: 1, waiting: 4, busy: ValueService.importsBusy)

    /// Who acts: the request's principal, and its account for the audit trail.
    typealias Caller = ServiceCaller

    func actor(_ caller: Caller) -> Actor {
        Actor(userId: caller.user?.id, at: clock.now())
    }

    func require(_ action: Action, on unit: String, _ caller: Caller, target: String) async throws {
        try await access.require(
            action, on: unit, principal: caller.principal, userId: caller.user?.id, target: target,
            requestId: caller.requestId, logger: caller.logger)
    }

    func task(_ code: String) async throws -> TaskRecord {
        guard let record = try await tasks.get(code) else { throw AppError.notFound("no task has code \"\(code)\"") }
        return record
    }

    /// The task as `reader` may read it: a proposal awaiting sign-off is not found outside the
    /// units that may read its lead unit's internal data (`SignOff`).
    func task(_ code: String, shownTo reader: Principal) async throws -> TaskRecord {
        let record = try await task(code)
        if !record.task.isSignedOff {
            let path = try await units.path(of: record.task.leadUnit)
            guard let path, SignOff.shows(signedOff: false, unit: path, to: reader) else {
                throw AppError.notFound("no task has code \"\(code)\"")
            }
        }
        return record
    }

    func report(_ id: String) async throws -> TaskReport {
        guard let report = try await tasks.report(id) else { throw AppError.notFound("no report has id \(id)") }
        return report
    }

    /// The committee's own unit: the root of the tree, which committee decisions are recorded against.
    func committeeUnit() async throws -> String {
        guard let root = try await units.root() else { throw AppError.notFound("the unit tree has no committee") }
        return root
    }

    func create(_ draft: TaskDraft, origin: TaskOrigin, _ caller: Caller) async throws -> TaskRecord {
        let action: Action = origin == .proposed ? .proposeTask : .assignTask
        let unit = origin == .proposed ? draft.leadUnit : try await committeeUnit()
        try await require(action, on: unit, caller, target: "task:\(draft.code)")
        let known = try await units.kinds()
        let orientations = Programme.open(try await tasks.programmes())
        let indicators = Set(try await indicators.list().map(\.code))
        var task = try draft.task(
            origin: origin, at: clock.now(), isKnownUnit: { known[$0] != nil }, orientations: orientations,
            isKnownIndicator: indicators.contains)
        if origin == .proposed, let path = try await units.path(of: task.leadUnit),
            SignOff.isImmediate(writer: caller.principal, unit: path)
        {
            task.signedOffAt = task.createdAt
        }
        return try await tasks.create(task, by: actor(caller))
    }

    /// The lead unit head's sign-off of a proposal, which makes it public.
    func signOff(_ code: String, _ caller: Caller) async throws -> TaskRecord {
        let record = try await task(code)
        try await require(TaskStep.signOff.action, on: record.task.leadUnit, caller, target: "task:\(code)")
        return try await tasks.signOff(code, by: actor(caller))
    }

    func adopt(_ code: String, _ caller: Caller) async throws -> TaskRecord {
        let record = try await task(code)
        try await require(TaskStep.adopt.action, on: record.task.leadUnit, caller, target: "task:\(code)")
        return try await tasks.adopt(code, by: actor(caller))
    }

    func cancel(_ code: String, reason: String, _ caller: Caller) async throws -> TaskRecord {
        let record = try await task(code)
        try await require(TaskStep.cancel.action, on: record.task.leadUnit, caller, target: "task:\(code)")
        return try await tasks.cancel(code, reason: reason, by: actor(caller))
    }

    /// Progress for the lead or a coordinating unit; any other unit is refused (403).
    func recordProgress(_ input: ProgressInput, on code: String, _ caller: Caller) async throws -> TaskReport {
        let record = try await task(code)
        let action = TaskStep.recordProgress.action
        try await require(action, on: input.unit, caller, target: "task:\(code)")
        if !record.task.reportingUnits.contains(input.unit) {
            try await access.refuse(
                action, on: input.unit, caller, target: "task:\(code)",
                reason: "\(input.unit) neither leads nor coordinates task \(code)")
        }
        return try await tasks.recordProgress(input, on: code, by: actor(caller), illustrative: false)
    }

    /// Authorises attaching a file to report `id`, before its body is read.
    func mayAttach(to id: String, _ caller: Caller) async throws {
        let report = try await report(id)
        try await require(TaskStep.attachFile.action, on: report.unit, caller, target: "report:\(id)")
    }

    func attach(
        _ content: Data, name: String, to id: String, _ caller: Caller
    ) async throws -> TaskReport {
        let report = try await report(id)
        try await require(TaskStep.attachFile.action, on: report.unit, caller, target: "report:\(id)")
        // The type its content shows, whatever the uploader said.
        guard let type = EvidenceType.of([UInt8](content), name: name) else { throw EvidenceType.refusal }
        return try await tasks.attach(content, name: name, contentType: type, to: id, by: actor(caller))
    }

    /// Changes a draft report (its unit's reporters, heads and the committee, as for recording it).
    func editReport(_ id: String, _ edit: ReportEdit, _ caller: Caller) async throws -> TaskReport {
        let report = try await report(id)
        try await require(TaskStep.editReport.action, on: report.unit, caller, target: "report:\(id)")
        return try await tasks.editReport(
            id, percent: edit.percent, narrative: edit.narrative, links: edit.links ?? [], by: actor(caller))
    }

    /// Takes back a draft report.
    func withdrawReport(_ id: String, _ caller: Caller) async throws {
        let report = try await report(id)
        try await require(TaskStep.withdrawReport.action, on: report.unit, caller, target: "report:\(id)")
        try await tasks.withdrawReport(id, by: actor(caller))
    }

    func submit(_ id: String, _ caller: Caller) async throws -> TaskReport {
        let report = try await report(id)
        try await require(TaskStep.submitReport.action, on: report.unit, caller, target: "report:\(id)")
        return try await tasks.submit(id, by: actor(caller))
    }

    func decide(_ id: String, accept: Bool, comment: String?, _ caller: Caller) async throws -> TaskReport {
        let report = try await report(id)
        let step: TaskStep = accept ? .acceptReport : .returnReport
        try await require(step.action, on: report.unit, caller, target: "report:\(id)")
        return try await tasks.decide(id, accept: accept, comment: comment, by: actor(caller))
    }

    func requestExtension(
        _ input: ExtensionInput, on code: String, _ caller: Caller
    ) async throws
        -> DeadlineExtension
    {
        let record = try await task(code)
        try await require(TaskStep.requestExtension.action, on: record.task.leadUnit, caller, target: "task:\(code)")
        return try await tasks.requestExtension(input, on: code, by: actor(caller))
    }

    func decideExtension(
        _ id: String, grant: Bool, comment: String?, _ caller: Caller
    ) async throws
        -> DeadlineExtension
    {
        guard let request = try await tasks.extensionRequest(id) else {
            throw AppError.notFound("no extension request has id \(id)")
        }
        try await require(TaskStep.decideExtension.action, on: request.unit, caller, target: "extension:\(id)")
        return try await tasks.decideExtension(id, grant: grant, comment: comment, by: actor(caller))
    }

    func raise(_ input: RecommendationInput, _ caller: Caller) async throws -> Recommendation {
        try await require(.raiseRecommendation, on: input.fromUnit, caller, target: "recommendation")
        let signedOff = try await units.path(of: input.fromUnit).map {
            SignOff.isImmediate(writer: caller.principal, unit: $0)
        }
        return try await tasks.raise(input, by: actor(caller), signedOff: signedOff ?? false, illustrative: false)
    }

    func recommendation(_ id: String) async throws -> Recommendation {
        guard let recommendation = try await tasks.recommendation(id) else {
            throw AppError.notFound("no recommendation has id \(id)")
        }
        return recommendation
    }

    /// The raising unit head's sign-off of a recommendation, which makes it public and answerable.
    func signOff(recommendation id: String, _ caller: Caller) async throws -> Recommendation {
        let recommendation = try await recommendation(id)
        try await require(.signOff, on: recommendation.fromUnit, caller, target: "recommendation:\(id)")
        return try await tasks.signOff(recommendation: id, by: actor(caller))
    }

    func answer(_ id: String, text: String, _ caller: Caller) async throws -> Recommendation {
        let recommendation = try await recommendation(id)
        try await require(.answerRecommendation, on: recommendation.toUnit, caller, target: "recommendation:\(id)")
        return try await tasks.answer(id, text: text, by: actor(caller))
    }
}

/// A draft report's new percent, narrative and links (`PATCH /api/v1/reports/{id}`).
struct ReportEdit: Decodable, Sendable {
    let percent: Int
    let narrative: String
    let links: [String]?
}
