/// The work-plan page: the form, and what the last file did or would do, or why it was refused.
struct WorkPlanModel: PageModel {
    struct Row: Sendable {
        let line: Int
        let code: String
        let action: String
        let changes: String
    }

    let programmes: [NewTaskModel.Programme]
    let dryRun: Bool
    /// Each refused row, in the page's language (at most `WorkPlanModel.shown`).
    let problems: [String]
    let hasProblems: Bool
    let problemCount: String?
    /// What the file did: its counts, in words.
    let summary: String?
    let rows: [Row]
    let hasRows: Bool
    let moreRows: String?

    /// The most rows or problems a page lists.
    static let shown = 500
}
