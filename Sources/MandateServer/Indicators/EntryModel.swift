/// A unit's entry form for one period (`entry.mustache`): the indicators that apply, their targets
/// and what was last entered, and the approval of what waits.
struct EntryModel: PageModel {
    struct UnitRef: Sendable {
        let code: String
        let name: String
    }

    struct Row: Sendable {
        let code: String
        let name: String
        let unitOfMeasure: String?
        /// What the fields hold: what was sent (when the form is refused), else what was last
        /// entered (a correction waiting for approval included); empty when nothing was.
        let value: String
        let comment: String
        let evidence: String
        let illustrative: Bool
        let target: String?
        /// Draft, approved, or the correction waiting beside the public value.
        let status: String?
        /// Why the form was refused, for this indicator.
        let errors: [String]?
    }

    struct PeriodOption: Sendable {
        let id: String
        let label: String
        let selected: Bool
    }

    /// The periods of one frequency the form offers.
    struct PeriodGroup: Sendable {
        let label: String
        let options: [PeriodOption]
    }

    /// The periods to choose from, by frequency.
    let periodGroups: [PeriodGroup]
    let unit: UnitRef
    let period: String
    let rows: [Row]
    let hasRows: Bool
    /// The form is offered exactly when a save would be allowed.
    let canEnter: Bool
    /// Problems that name no indicator.
    let formErrors: [String]
    let hasErrors: Bool
    let savedText: String?
    let approvedText: String?
    /// The approve button's text, when the reader may approve and something waits.
    let approveText: String?

    /// A draft that approving makes public, as the confirmation lists it.
    struct Draft: Sendable {
        let name: String
        let value: String
        let comment: String
    }

    /// The head has asked to approve and must confirm, seeing what would become public.
    let confirming: Bool
    /// What approving would make public, while confirming.
    let confirmation: [Draft]
}
