import Mustache

/// `recommendations`: every recommendation, the form to raise one and the forms to answer.
struct RecommendationsModel: PageModel {
    struct Row: Sendable {
        let id: String
        let title: String
        let body: String?
        let from: String
        let to: String
        let due: String
        let age: Int
        let overdue: Bool
        let answer: String?
        let answered: Bool
        let answeredAt: String?
        let illustrative: Bool
        /// Not public yet: the raising unit's head has not signed it off.
        let awaitingSignOff: Bool
        let canSignOff: Bool
        let canAnswer: Bool
    }

    let rows: [Row]
    let hasRows: Bool
    let problems: [String]
    let hasProblems: Bool
    let minDue: String
    let defaultDue: String
    /// The reader's unit, when it may raise a recommendation.
    let from: TaskUnitLink?
    /// The committee's unit, the form's default addressee.
    let committee: String?
    let toHint: String?
    let doneText: String?
    let countText: String
    let nextHref: String?
    let previousHref: String?
}

/// Four hundred recommendations at national scale, each read a dozen times by name (the page's
/// labels too): by name, without `Mirror`, which was more than half of the page's time.
extension RecommendationsModel.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "body": body
        case "from": from
        case "to": to
        case "due": due
        case "age": age
        case "overdue": overdue
        case "answer": answer
        case "answered": answered
        case "answeredAt": answeredAt
        case "illustrative": illustrative
        case "awaitingSignOff": awaitingSignOff
        case "canSignOff": canSignOff
        case "canAnswer": canAnswer
        default: nil
        }
    }
}
