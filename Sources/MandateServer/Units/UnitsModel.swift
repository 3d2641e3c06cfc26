/// The unit directory's search (`units.mustache`).
struct UnitsModel: PageModel {
    struct KindOption: Sendable {
        /// The kind's code; empty for every kind.
        let value: String
        let label: String
        let selected: Bool
    }

    struct Item: Sendable {
        let code: String
        let name: String
        let kindLabel: String
        /// A commune's province.
        let parentName: String?
    }

    let query: String
    let kinds: [KindOption]
    let countText: String
    let units: [Item]
    let more: Bool
    let moreHref: String?
    /// Whether the reader adds partners (`/partners/new`).
    let canAddPartner: Bool
}
