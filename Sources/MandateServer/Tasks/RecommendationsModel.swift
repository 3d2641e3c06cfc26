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
}
