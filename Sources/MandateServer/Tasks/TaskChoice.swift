import Mustache

/// One choice of a `<select>`.
struct TaskChoice: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// A unit as a page links it.
struct TaskUnitLink: Sendable {
    let code: String
    let name: String
}

/// Forms list many options (fifty units, a hundred indicators): their fields are given to
/// Mustache by name, without `Mirror`.
extension TaskChoice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}
