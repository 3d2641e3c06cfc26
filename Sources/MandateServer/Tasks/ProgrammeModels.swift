/// `programmes`: every programme, and whether the reader defines them.
struct ProgrammeListModel: PageModel {
    struct Item: Sendable {
        let code: String
        let name: String
        let basis: String?
        let years: String?
        let archived: Bool
    }

    let items: [Item]
    let canDefine: Bool
    let notice: String?
}

/// `programme`: one programme with its orientations (each with its public tasks), the indicators
/// its tasks move, and the committee's forms.
struct ProgrammePageModel: PageModel {
    struct OrientationRow: Sendable {
        let number: Int
        let title: String
        let tasks: Int
        let href: String
    }

    /// A ranking method that measures the programme's work, with its latest publication.
    struct RankingRow: Sendable {
        let name: String
        /// The latest published ranking, if any.
        let href: String?
        let period: String?
        /// The method's editor, for committee roles.
        let editHref: String?
    }

    let code: String
    let name: String
    let otherName: String
    let basis: String?
    let years: String?
    let archived: Bool
    let orientations: [OrientationRow]
    let taskCount: Int
    let tasksHref: String
    let indicators: [TaskUnitLink]
    let hasIndicators: Bool
    let rankings: [RankingRow]
    let hasRankings: Bool
    let canDefine: Bool
    let notice: String?
}

/// `programme-form`: a programme defined or edited, with what was typed and every problem.
struct ProgrammeFormModel: PageModel {
    let action: String
    let isNew: Bool
    let problems: [String]
    let hasProblems: Bool
    let code: String
    let nameVi: String
    let nameEn: String
    let basisTitle: String
    let basisNumber: String
    let basisDate: String
    let startYear: String
    let endYear: String
    /// One orientation a line: "number | Vietnamese title | English title".
    let orientations: String
}
