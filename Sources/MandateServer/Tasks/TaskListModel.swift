/// `tasks`: the task list.
struct TaskListModel: PageModel {
    struct Row: Sendable {
        let code: String
        let title: String
        let lead: String
        let leadCode: String
        let deadline: String
        let illustrative: Bool
        /// The working deadline, when an extension moved it.
        let newDeadline: String?
        let percent: String?
        let lateText: String?
        let status: String
        let statusLabel: String
    }

    let canCreate: Bool
    let rows: [Row]
    let hasRows: Bool
    let search: String
    let unit: String
    let unitName: String?
    let countText: String
    let statuses: [TaskChoice]
    let programmes: [TaskChoice]
    let orientations: [TaskChoice]
    let today: String
    let live: String?
    let nextHref: String?
    let previousHref: String?
}
