/// `task-new`: the form to assign or propose a task, with what was typed when it comes back.
struct NewTaskModel: PageModel {
    struct Programme: Sendable {
        let code: String
        let selected: Bool
    }

    /// The committee assigns to any lead unit; anyone else proposes for their own.
    let assigns: Bool
    let ownUnit: String
    let ownUnitName: String
    let programmes: [Programme]
    let orientations: [TaskChoice]
    let problems: [String]
    let hasProblems: Bool
    let start: String
    let deadline: String
    let code: String?
    let taskTitle: String?
    let description: String?
    let deliverable: String?
    let leadUnit: String?
    let coordinatingUnits: String?
}
