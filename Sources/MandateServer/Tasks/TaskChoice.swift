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
