import MandateCore
import MandateStore

/// A database as the API answers it: its approved entry with the qualities, metadata score and
/// class computed from it, and its draft for those who may read it.
struct CatalogueView: Encodable {
    struct Finding: Encodable {
        let state: String
        let reason: String
        let reasonVi: String

        init(_ finding: QualityFinding) {
            state = finding.state.rawValue
            reason = finding.en
            reasonVi = finding.vi
        }
    }

    struct Qualities: Encodable {
        let living: Finding
        let sufficient: Finding
        let clean: Finding
        let correct: Finding
    }

    struct Metadata: Encodable {
        let points: Int
        let maximum: Int
        let rating: String
        let dimensions: [String: Int]
        let items: [MetadataScore.Item]
    }

    let code: String
    let owner: String
    let version: Int
    let publishedAt: String?
    let entry: CatalogueEntry?
    let qualities: Qualities?
    let metadata: Metadata?
    let `class`: String?
    let expectedRecords: Int?
    let audit: DatabaseAudit?
    let draft: CatalogueEntry?
    let draftAt: String?

    init(_ record: CatalogueRecord, assessed: AssessedDatabase?, showDraft: Bool) {
        code = record.code
        owner = record.owner
        version = record.version
        publishedAt = record.publishedAt
        entry = record.published
        qualities = assessed.map {
            Qualities(
                living: Finding($0.qualities.living), sufficient: Finding($0.qualities.sufficient),
                clean: Finding($0.qualities.clean), correct: Finding($0.qualities.correct))
        }
        metadata = assessed.map { assessed in
            Metadata(
                points: assessed.score.points, maximum: MetadataScore.maximum, rating: assessed.score.rating.rawValue,
                dimensions: Dictionary(
                    uniqueKeysWithValues: MetadataScore.Dimension.allCases.map {
                        ($0.rawValue, assessed.score.points(of: $0))
                    }),
                items: assessed.score.items)
        }
        `class` = assessed?.databaseClass.rawValue
        expectedRecords = record.expectedRecords
        audit = record.audit
        draft = showDraft ? record.draft : nil
        draftAt = showDraft ? record.draftAt : nil
    }
}

/// A page of the catalogue as the API answers it.
struct CataloguePageView: Encodable {
    let items: [CatalogueView]
    let total: Int
    /// Whether a search stopped counting at `total`: at least that many match.
    let totalIsLowerBound: Bool
    let limit: Int
    let offset: Int
}
