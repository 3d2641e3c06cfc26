/// Who may see the officials behind what a unit did: the one rule on names.
public enum OfficialNames {
    /// Whether `reader` may see who acted for the unit at `unit` (who wrote, submitted or decided
    /// its report, asked for or decided its extension, took a step of a task's history for it):
    /// exactly when it may read that unit's internal data (`Action.readInternal`, so its own unit
    /// and those below it, or everywhere for committee roles); anonymous readers never.
    public static func visible(to reader: Principal, actingFor unit: UnitPath) -> Bool {
        Authorizer.decide(reader, target: unit, action: .readInternal).isAllowed
    }
}

/// What one reader is shown of a task, as the API and the task page both show it.
///
/// Accepted reports are public; a unit's other reports (drafts, submitted, returned) are shown to
/// those who may read the unit's internal data, and the task's history to those who may read the
/// lead unit's. Officials are named by `OfficialNames`, unit by unit. A report's `illustrative`
/// is `TaskReport.isIllustrative`.
public struct TaskDisclosure: Sendable {
    public let task: ProgrammeTask
    /// The units whose internal data the reader may read.
    public let internalUnits: Set<String>
    /// The units whose officials the reader may see named.
    public let namedUnits: Set<String>

    /// What `reader` is shown of `task`; `path` gives a unit's place in the tree (nil: unknown).
    public init(task: ProgrammeTask, reader: Principal, units: [String: UnitPath]) {
        self.task = task
        var internalUnits: Set<String> = []
        var namedUnits: Set<String> = []
        for (code, path) in units {
            if Authorizer.decide(reader, target: path, action: .readInternal).isAllowed { internalUnits.insert(code) }
            if OfficialNames.visible(to: reader, actingFor: path) { namedUnits.insert(code) }
        }
        self.internalUnits = internalUnits
        self.namedUnits = namedUnits
    }

    /// Whether the history is shown.
    public var showsHistory: Bool { internalUnits.contains(task.leadUnit) }

    /// Whether the officials who acted for `unit` are named.
    public func namesOfficials(of unit: String?) -> Bool {
        unit.map(namedUnits.contains) ?? false
    }

    /// The report as the reader sees it, or nil when it is not shown.
    public func report(_ report: TaskReport) -> TaskReport? {
        guard report.state == .accepted || internalUnits.contains(report.unit) else { return nil }
        var shown = report
        shown.illustrative = report.isIllustrative(onIllustrativeTask: task.illustrative)
        if !namesOfficials(of: report.unit) {
            shown.createdBy = nil
            shown.submittedBy = nil
            shown.decidedBy = nil
        }
        return shown
    }

    /// The extension request as the reader sees it: every request is shown.
    public func request(_ request: DeadlineExtension) -> DeadlineExtension {
        guard !namesOfficials(of: request.unit) else { return request }
        var shown = request
        shown.requestedBy = nil
        shown.decidedBy = nil
        return shown
    }

    /// The history as the reader sees it, or nil when it is not shown.
    public func history(_ events: [TaskEvent]) -> [TaskEvent]? {
        guard showsHistory else { return nil }
        return events.map { event in
            guard !namesOfficials(of: event.unit) else { return event }
            var shown = event
            shown.userId = nil
            return shown
        }
    }
}
