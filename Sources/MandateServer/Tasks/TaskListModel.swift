import Mustache

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
    /// Whether the reader imports work plans (`/tasks/import`): who assigns tasks.
    let canImport: Bool
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

/// A page of tasks, each read a dozen times by name (the page's labels too): by name, without
/// `Mirror`, which was half of the page's time at national scale.
extension TaskListModel.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "lead": lead
        case "leadCode": leadCode
        case "deadline": deadline
        case "illustrative": illustrative
        case "newDeadline": newDeadline
        case "percent": percent
        case "lateText": lateText
        case "status": status
        case "statusLabel": statusLabel
        default: nil
        }
    }
}
