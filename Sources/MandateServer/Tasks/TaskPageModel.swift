/// `task`: one task with its reports, extensions and history, and the forms its reader may use:
/// each `can…` is `TaskWorkflow.permits` for the reader, as the write would decide.
struct TaskPageModel: PageModel {
    struct Task: Sendable {
        let code: String
        let title: String
        let description: String?
        let deliverable: String
        let lead: String
        let leadCode: String
        let start: String
        let deadline: String
        let effectiveDeadline: String
        let workingDeadline: String
        let movedDeadline: Bool
        /// Where it came from, in words.
        let origin: String
        let illustrative: Bool
        let coordinating: [TaskUnitLink]
        let cancelReason: String?
        let status: String
        let statusLabel: String
        /// A proposal not yet public: its unit head has not signed it off.
        let awaitingSignOff: Bool
        /// Its priority in words, when it is not normal.
        let priority: String?
        let technologies: [String]
        let hasTechnologies: Bool
        /// The indicators it moves, linked.
        let indicators: [TaskUnitLink]
        let hasIndicators: Bool
        /// The rating form, once the task is accepted (`TaskStatus.takesRatings`).
        let rateHref: String?
    }

    struct File: Sendable {
        let name: String
        let sha256: String
        let size: Int
        let href: String
    }

    struct Report: Sendable {
        let id: String
        /// The unit's name.
        let unit: String
        let percent: Int
        let narrative: String
        let links: [String]
        let hasLinks: Bool
        let files: [File]
        let hasFiles: Bool
        let state: String
        let stateLabel: String
        let createdAt: String
        /// The official who recorded it, when the reader may see their name (`OfficialNames`).
        let createdBy: String?
        let submittedAt: String?
        let decidedAt: String?
        let comment: String?
        let illustrative: Bool
        /// The links one per line, as the edit form shows them.
        let linksText: String
        let canEdit: Bool
        let canWithdraw: Bool
        let canAttach: Bool
        let canSubmit: Bool
        let canDecide: Bool
    }

    struct Extension: Sendable {
        let id: String
        let deadline: String
        let reason: String
        let state: String
        let stateLabel: String
        let requestedAt: String
        let decidedAt: String?
        let comment: String?
        let canDecide: Bool
    }

    struct Event: Sendable {
        let at: String
        /// `at` in Hà Nội time, in the page's language.
        let atText: String
        let what: String
        let unit: String?
        /// The official who took the step, when the reader may see their name (`OfficialNames`).
        let who: String?
        let detail: String?
    }

    let task: Task
    let reports: [Report]
    let hasReports: Bool
    let extensions: [Extension]
    let hasExtensions: Bool
    let history: [Event]
    let hasHistory: Bool
    /// The units the reader may record progress for.
    let reportingOptions: [TaskUnitLink]
    let canReport: Bool
    let canRequestExtension: Bool
    let canSignOff: Bool
    let canAdopt: Bool
    let canCancel: Bool
    let problems: [String]
    let hasProblems: Bool
    let signedIn: Bool
    let minDeadline: String
    let doneText: String?
    let live: String?
}
