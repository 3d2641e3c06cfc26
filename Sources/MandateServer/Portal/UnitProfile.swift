import Mustache

/// What a unit's page shows beside its place in the tree (`unit.mustache`, inside `profile`): its
/// tasks, its indicators with their trend, its reporting timeliness and its published ranks.
struct UnitProfile: Sendable {
    struct TaskRow: Sendable {
        let code: String
        let title: String
        let deadline: String
        let status: String
        let statusLabel: String
        let illustrative: Bool
    }

    /// The reports the unit owed this year, by how they came.
    struct Timeliness: Sendable {
        let year: Int
        let onTime: Int
        let late: Int
        let missing: Int
        let notDue: Int
        let href: String
    }

    /// The unit's place in a published ranking of its kind.
    struct RankRow: Sendable {
        let method: String
        let period: String
        let href: String
        let rank: String
        let of: Int
        let score: String
        let interval: String?
    }

    let tasks: [TaskRow]
    let hasTasks: Bool
    let tasksText: String?
    let tasksHref: String?
    let indicators: [RowHTML]
    let hasIndicators: Bool
    let timeliness: Timeliness?
    let ranks: [RankRow]
    let hasRanks: Bool
}

/// The profile wraps a list of a hundred or more indicator rows, and every name a row does not
/// have is looked up here: by name, without `Mirror`.
extension UnitProfile: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "tasks": tasks
        case "hasTasks": hasTasks
        case "tasksText": tasksText
        case "tasksHref": tasksHref
        case "indicators": indicators
        case "hasIndicators": hasIndicators
        case "timeliness": timeliness
        case "ranks": ranks
        case "hasRanks": hasRanks
        default: nil
        }
    }
}

extension UnitProfile.TaskRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "title": title
        case "deadline": deadline
        case "status": status
        case "statusLabel": statusLabel
        case "illustrative": illustrative
        default: nil
        }
    }
}

/// A commune is placed in every published commune ranking: a row each, read by name.
extension UnitProfile.RankRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "method": method
        case "period": period
        case "href": href
        case "rank": rank
        case "of": of
        case "score": score
        case "interval": interval
        default: nil
        }
    }
}
