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
}
