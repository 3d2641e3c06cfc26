import MandateCore

/// `ranking-editor`: a ranking method as form fields and as JSON, its weights normalised, and a
/// preview of what it would rank beside its current version's draft, before anything is saved.
struct RankingEditorModel: PageModel {
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One field of the form, named by its path in the method document (`editor-field` partial).
    struct Field: Sendable {
        let id: String
        let name: String
        let label: String
        let value: String
        /// What is wrong with it, in the page's language.
        let error: String?
        let options: [Option]
        let isChoice: Bool
        /// `decimal` or `numeric` for a number, so that a phone shows its number keys.
        let inputMode: String?
        /// The datalist offered (`editor-sources`).
        let list: String?
        let readOnly: Bool
    }

    struct ComponentForm: Sendable {
        let legend: String
        let fields: [Field]
        /// Its weight's share of its pillar, in per cent (named apart from the pillar's, which a
        /// template would otherwise find in its place when this one is nil).
        let componentShare: String?
        let removeName: String
        let removeId: String
        let isNew: Bool
    }

    struct PillarForm: Sendable {
        let legend: String
        let fields: [Field]
        /// Its weight's share of the method, in per cent.
        let pillarShare: String?
        let removeName: String
        let removeId: String
        let isNew: Bool
        let components: [ComponentForm]
    }

    struct Pillar: Sendable {
        let name: String
        let weight: String
        let share: String
        let components: [Component]
    }

    struct Component: Sendable {
        let code: String
        let source: String
        let weight: String
        let share: String
        let normalisation: String
    }

    struct Row: Sendable {
        let code: String
        let name: String
        let current: String
        let edited: String
        let difference: String?
        let currentScore: String
        let editedScore: String
    }

    let methodId: String
    let isNew: Bool
    let json: String
    let period: String
    let problems: [String]
    let hasProblems: Bool
    let notice: String?
    let methodFields: [Field]
    let uncertaintyFields: [Field]
    let pillarForms: [PillarForm]
    /// Indicator codes and delivery measures, offered as a component's source.
    let sources: [String]
    let pillars: [Pillar]
    let hasPillars: Bool
    /// The sum of the pillar weights as written (they are scaled to 1).
    let weightSum: String
    let rows: [Row]
    let hasPreview: Bool
    let downloadHref: String?
}
