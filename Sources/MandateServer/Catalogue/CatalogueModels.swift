import MandateCore
import MandateStore
import Mustache

/// A quality as a page shows it: its name, its state in words and as a class for its badge, and why.
struct QualityRow: Sendable {
    let name: String
    let state: String
    let stateClass: String
    let reason: String

    init(_ key: String, _ finding: QualityFinding, _ page: PageRequest) {
        name = page.t("catalogue_quality_\(key)")
        state = page.t("catalogue_state_\(finding.state.rawValue)")
        stateClass = "quality-\(finding.state.rawValue)"
        reason = finding.reason(in: page.language)
    }

    static func rows(_ qualities: DatabaseQualities, _ page: PageRequest) -> [QualityRow] {
        qualities.all.map { QualityRow($0.name, $0.finding, page) }
    }
}

/// `catalogue`: the public catalogue, searched and filtered.
struct CatalogueListModel: PageModel {
    struct Item: Sendable {
        let code: String
        let name: String
        let owner: String
        let ownerName: String
        let level: String
        let access: String
        let frequency: String
        let lastUpdate: String
        let qualities: [QualityRow]
        let databaseClass: String
        let points: String
        let rating: String
        let illustrative: Bool
    }

    let q: String
    let units: [TaskChoice]
    let levels: [TaskChoice]
    let themes: [TaskChoice]
    let accesses: [TaskChoice]
    let qualities: [TaskChoice]
    let items: [Item]
    let hasItems: Bool
    let summary: String
    let previous: String?
    let next: String?
    let canDeclare: Bool
    let exportJSONLD: String
    let exportTurtle: String
}

/// `catalogue-entry`: one database, each quality and why, its metadata score, class, history, and
/// for its unit the draft awaiting approval.
struct CatalogueEntryModel: PageModel {
    struct Fact: Sendable {
        let label: String
        let value: String
        let href: String?
    }

    struct DistributionRow: Sendable {
        let accessURL: String
        let downloadURL: String?
        let format: String
        let licence: String?
    }

    struct ScoreRow: Sendable {
        let dimension: String
        let points: Int
        let maximum: Int
    }

    struct VersionRow: Sendable {
        let version: Int
        let publishedAt: String
    }

    let code: String
    let name: String
    let otherName: String
    let description: String
    let published: Bool
    let facts: [Fact]
    let qualities: [QualityRow]
    let databaseClass: String?
    let points: Int
    let rating: String
    let scores: [ScoreRow]
    let distributions: [DistributionRow]
    let hasDistributions: Bool
    let versions: [VersionRow]
    let hasVersions: Bool
    let illustrative: Bool
    let draftAt: String?
    let canEdit: Bool
    let canApprove: Bool
    let canAudit: Bool
    let notice: String?
}

/// `catalogue-form`: a database declared or edited, with what was typed and every problem beside
/// its field.
struct CatalogueFormModel: PageModel {
    struct Field: Sendable {
        let name: String
        let label: String
        let value: String
        let problem: String?
        let multiline: Bool
        let hint: String?
    }

    struct Select: Sendable {
        let name: String
        let label: String
        let options: [TaskChoice]
        let problem: String?
    }

    let action: String
    let isNew: Bool
    let code: String
    let problems: [String]
    let hasProblems: Bool
    let fields: [Field]
    let selects: [Select]
    let themes: [TaskChoice]
    let themesProblem: String?
}

// A catalogue page lists fifty databases, each with four qualities: their fields are given to
// Mustache by name, without `Mirror`.
extension QualityRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "state": state
        case "stateClass": stateClass
        case "reason": reason
        default: nil
        }
    }
}

extension CatalogueListModel.Item: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "name": self.name
        case "owner": owner
        case "ownerName": ownerName
        case "level": level
        case "access": access
        case "frequency": frequency
        case "lastUpdate": lastUpdate
        case "qualities": qualities
        case "databaseClass": databaseClass
        case "points": points
        case "rating": rating
        case "illustrative": illustrative
        default: nil
        }
    }
}
