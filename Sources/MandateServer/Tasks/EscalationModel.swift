import Mustache

/// `escalation`: the frame around the board, drawn per reader, and the board as drawn once.
struct EscalationPage: PageModel {
    let live: String?
    /// The board's HTML (`escalation-board`).
    let board: String
}

/// `escalation-board`: what needs the committee's attention today.
struct EscalationModel: PageModel {
    struct Totals: Sendable {
        let overdue: Int
        let due7: Int
        let due30: Int
        let returned: Int
        let unanswered: Int
    }

    struct Band: Sendable {
        let label: String
        let count: Int
    }

    struct Count: Sendable {
        let count: Int
    }

    struct UnitRow: Sendable {
        let code: String
        let name: String
        let count: Int
        let bands: [Count]
        let most: Int
    }

    struct Line: Sendable {
        let code: String
        let title: String
        let lead: String
        let deadline: String
        let days: Int
        let illustrative: Bool
    }

    struct Returned: Sendable {
        let task: String
        let unit: String
        let days: Int
        let comment: String?
    }

    struct Unanswered: Sendable {
        let title: String
        let from: String
        let to: String
        let age: Int
        let due: String
        let overdue: Bool
    }

    let live: String?
    let today: String
    let totals: Totals
    let bands: [Band]
    let byUnit: [UnitRow]
    let overdue: [Line]
    let due7: [Line]
    let due30: [Line]
    let returned: [Returned]
    let unanswered: [Unanswered]
}

/// Hundreds of lines at national scale, each read by name for every label of the page: by name,
/// without `Mirror`.
extension EscalationModel.Totals: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "overdue": overdue
        case "due7": due7
        case "due30": due30
        case "returned": returned
        case "unanswered": unanswered
        default: nil
        }
    }
}

extension EscalationModel.Band: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "count": count
        default: nil
        }
    }
}

extension EscalationModel.Count: MustacheParent {
    func child(named name: String) -> Any? { name == "count" ? count : nil }
}

extension EscalationModel.UnitRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "name": self.name
        case "count": count
        case "bands": bands
        case "most": most
        default: nil
        }
    }
}

extension EscalationModel.Line: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "lead": lead
        case "deadline": deadline
        case "days": days
        case "illustrative": illustrative
        default: nil
        }
    }
}

extension EscalationModel.Returned: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "task": task
        case "unit": unit
        case "days": days
        case "comment": comment
        default: nil
        }
    }
}

extension EscalationModel.Unanswered: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "from": from
        case "to": to
        case "age": age
        case "due": due
        case "overdue": overdue
        default: nil
        }
    }
}
