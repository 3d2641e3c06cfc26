import MandateCore

/// One database in the catalogue: its approved entry (what the public reads), the draft its unit
/// is writing, and what the committee declared or found of it.
public struct CatalogueRecord: Codable, Sendable, Hashable {
    public var code: String
    public var owner: String
    /// The approved entry; nil until the unit's head first approves one.
    public var published: CatalogueEntry?
    /// How many entries have been approved (the published one's version).
    public var version: Int
    public var publishedAt: String?
    /// The entry being written, awaiting the head's approval; nil when there is none.
    public var draft: CatalogueEntry?
    public var draftAt: String?
    public var expectedRecords: Int?
    /// The latest audit.
    public var audit: DatabaseAudit?
    /// The latest probe of each of its links.
    public var probes: [String: LinkProbe] = [:]
    /// When its first version was approved; nil until then.
    public var firstApprovedAt: String?
    /// The latest sample of one of its distributions checked.
    public var sample: SampleCheck?

    public init(
        code: String, owner: String, published: CatalogueEntry?, version: Int, publishedAt: String?,
        draft: CatalogueEntry?, draftAt: String?, expectedRecords: Int?, audit: DatabaseAudit?
    ) {
        self.code = code
        self.owner = owner
        self.published = published
        self.version = version
        self.publishedAt = publishedAt
        self.draft = draft
        self.draftAt = draftAt
        self.expectedRecords = expectedRecords
        self.audit = audit
    }

    /// What the four qualities are computed from, besides the entry.
    public var evidence: QualityEvidence {
        QualityEvidence(expectedRecords: expectedRecords, audit: audit, probes: probes, sample: sample)
    }
}

/// One approved version of an entry: the catalogue's history.
public struct CatalogueVersion: Codable, Sendable, Hashable {
    public var version: Int
    public var entry: CatalogueEntry
    public var publishedAt: String
    public var publishedBy: String?

    public init(version: Int, entry: CatalogueEntry, publishedAt: String, publishedBy: String?) {
        self.version = version
        self.entry = entry
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }
}

/// An approved entry as the export reads it: the rendering kept of its statements in the format
/// asked, when one of its approved version is kept.
public struct CatalogueExportRow: Sendable, Hashable {
    public var code: String
    public var owner: String
    public var version: Int
    public var rendering: DCATExport.Rendering?

    public init(code: String, owner: String, version: Int, rendering: DCATExport.Rendering?) {
        self.code = code
        self.owner = owner
        self.version = version
        self.rendering = rendering
    }
}

/// Which approved entries a listing shows: a unit's (its own and its direct children's), a level,
/// a theme, an access, and words every one of which its names, code or keywords contain
/// (diacritics and case ignored).
public struct CatalogueQuery: Sendable, Hashable {
    public var unit: String?
    public var level: DatabaseLevel?
    public var theme: DataTheme?
    public var access: DataAccess?
    public var text: String
    public var limit: Int
    public var offset: Int

    public init(
        unit: String? = nil, level: DatabaseLevel? = nil, theme: DataTheme? = nil, access: DataAccess? = nil,
        text: String = "", limit: Int = 50, offset: Int = 0
    ) {
        self.unit = unit
        self.level = level
        self.theme = theme
        self.access = access
        self.text = text
        self.limit = limit
        self.offset = offset
    }

    /// How far a search counts: words as common as "cơ sở dữ liệu" match most of the catalogue,
    /// and counting every match of them costs more than the page. A search counts its matches up
    /// to 1,000 past the page it shows, and a total this high means "at least"; a listing without
    /// words counts them all (nil).
    public var countCeiling: Int? { SearchKey.terms(text).isEmpty ? nil : offset + limit + 1_000 }

    /// Whether `total`, as the listing counted it, is only a lower bound.
    public func isLowerBound(_ total: Int) -> Bool { countCeiling.map { total >= $0 } ?? false }
}

/// The database catalogue.
public protocol CatalogueRepository: Sendable {
    func record(code: String) async throws -> CatalogueRecord?
    /// Keeps each entry as the draft awaiting approval, creating the records that are new, all in
    /// one transaction; the records in the entries' order.
    func saveDrafts(
        _ entries: [(entry: CatalogueEntry, ownerParent: String?)], by: String?, at: String
    ) async throws
        -> [CatalogueRecord]
    /// Publishes the draft of `code` as its next version; nil if there is no draft.
    func approve(code: String, by: String?, at: String) async throws -> CatalogueRecord?
    /// Approved entries matching the query, by code.
    func list(_ query: CatalogueQuery) async throws -> Page<CatalogueRecord>
    /// Every approved entry, by code, `batch` at a time (the export streams them).
    func published(after code: String?, batch: Int, owners: Set<String>?) async throws -> [CatalogueRecord]
    /// Every approved entry, by code, `batch` at a time, of `owner` (every unit's when nil), with
    /// its rendering in `format` where one of its version is kept.
    func exportRows(
        format: DCATExport.Format, after code: String?, batch: Int, owner: String?
    ) async throws
        -> [CatalogueExportRow]
    /// The approved entries of `codes` and their versions.
    func approvedEntries(codes: [String]) async throws -> [String: (entry: CatalogueEntry, version: Int)]
    /// Keeps each rendering in place of the one of its database and format.
    func keep(_ renderings: [DCATExport.Rendering]) async throws
    /// Records still waiting for approval, of `owners` (every unit's when nil).
    func drafts(owners: Set<String>?) async throws -> [CatalogueRecord]
    func history(code: String) async throws -> [CatalogueVersion]
    func recordAudit(_ audit: DatabaseAudit, code: String, by: String?, at: String) async throws
    /// The record count the committee expects of `code` (nil: none declared).
    func expect(_ records: Int?, code: String) async throws
    /// The links of approved entries (`LinkChecks.links`) never probed or last probed before
    /// `checkedBefore`, at most `limit`.
    func linksDue(checkedBefore: String, limit: Int) async throws -> [String]
    /// Keeps each probe as its link's latest answer and in the history.
    func record(_ probes: [LinkProbe]) async throws
    /// Keeps the check of a sample of distribution `distribution` (its index) of `code`.
    func recordSample(_ check: SampleCheck, code: String, distribution: Int, by: String?, at: String) async throws
    /// Every probe of `url`, newest first.
    func probes(of url: String, limit: Int) async throws -> [LinkProbe]
    /// Takes or renews the lease of job `name` for `holder` until `until`; false while another
    /// holder's lease has not expired (`now`).
    func lease(_ name: String, holder: String, until: String, now: String) async throws -> Bool
}
