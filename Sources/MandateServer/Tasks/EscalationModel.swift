/// `escalation`: what needs the committee's attention today.
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
