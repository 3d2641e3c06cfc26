import Mustache

/// A unit's page (`unit.mustache`): its facts and place in the tree, the units below it, its
/// predecessors and successors, and its public profile.
struct UnitModel: PageModel {
    struct Facts: Sendable {
        let code: String
        let name: String
        let type: String
        let active: Bool
        let nameEn: String?
    }

    struct Ancestor: Sendable {
        let code: String
        let shortName: String
    }

    struct Child: Sendable {
        let code: String
        let name: String
        let type: String
        // Empty rather than nil when unknown: a nil would make the template read the unit's own area.
        let area: String
    }

    /// A predecessor or successor, and the day one took the other over.
    struct Link: Sendable {
        let code: String
        let name: String
        let effectiveOn: String
    }

    let live: String
    let unit: Facts
    let kindLabel: String
    let area: String?
    let coordinates: String?
    let ancestors: [Ancestor]
    let query: String
    let hasChildren: Bool
    let childrenTitle: String
    let childrenCaption: String
    let children: [Child]
    /// Which of the units below are listed, e.g. "51–100 of 126".
    let childrenShown: String
    let childrenNext: String?
    let childrenPrevious: String?
    let predecessors: [Link]
    let hasPredecessors: Bool
    let successors: [Link]
    let hasSuccessors: Bool
    let profile: UnitProfile
    /// The partner form, for an administrator reading a partner's page.
    let editHref: String?
    /// The rating form, for a unit that serves citizens (`UnitKind.takesRatings`).
    let rateHref: String?
    /// Its citizens' satisfaction this year, for a unit that takes ratings.
    let satisfaction: SatisfactionModel?
    /// The databases it keeps, and those of the units below it in all.
    let databases: Databases?

    struct Databases: Sendable {
        struct Item: Sendable {
            let code: String
            let name: String
            let databaseClass: String
            let qualities: [QualityRow]
        }

        /// Against what is expected, with the units below it.
        let completion: String
        let items: [Item]
        let total: String
        let href: String
    }
}

/// A province lists a hundred or more units below it: their fields by name, without `Mirror`.
extension UnitModel.Child: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "name": self.name
        case "type": type
        case "area": area
        default: nil
        }
    }
}
