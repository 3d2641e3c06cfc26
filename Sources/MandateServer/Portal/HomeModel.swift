import Mustache

/// The national overview (`home.mustache`).
struct HomeModel: PageModel {
    struct Counts: Sendable {
        let provinces: String
        let communes: String
        let ministries: String
    }

    /// One of the escalation board's totals.
    struct DeliveryCard: Sendable {
        let label: String
        let count: String
        let href: String
        let status: String
    }

    /// A published fact, newest first.
    struct FeedItem: Sendable {
        let index: UInt64
        let kind: String
        let kindLabel: String
        let at: String
        /// `at` in Hà Nội time, in the page's language.
        let atText: String
        let illustrative: Bool
        let text: String
        let href: String
    }

    /// The published ranking that colours the map.
    struct MapRanking: Sendable {
        let href: String
        let name: String
        let period: String
    }

    let live = "*"
    let today: String
    let counts: Counts
    let headlines: [RowHTML]
    let delivery: [DeliveryCard]
    let feed: [FeedItem]
    /// The map's SVG.
    let map: String
    let mapRanking: MapRanking?
}

/// The overview's lists give their fields by name, without `Mirror` (a section over a plain
/// struct reflects it for every name its template reads).
extension HomeModel.FeedItem: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "index": index
        case "kind": kind
        case "kindLabel": kindLabel
        case "at": at
        case "atText": atText
        case "illustrative": illustrative
        case "text": text
        case "href": href
        default: nil
        }
    }
}

extension HomeModel.DeliveryCard: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "count": count
        case "href": href
        case "status": status
        default: nil
        }
    }
}
