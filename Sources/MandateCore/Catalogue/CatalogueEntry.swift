/// One database as its owner unit describes it in the catalogue: what the catalogue publishes once
/// the unit's head approves it (`CatalogueDraft.entry` checks every field first).
///
/// Nothing of its quality is typed here: the four qualities, the metadata score and the class are
/// computed from it (`DatabaseQualities`, `MetadataScore`, `DatabaseClass`).
public struct CatalogueEntry: Codable, Sendable, Hashable {
    /// The stable identifier, e.g. `CSDLQG-DANCU`: the URL of its page and of its DCAT-AP node.
    public var code: String
    /// The unit that owns the database and keeps its entry.
    public var owner: String
    public var level: DatabaseLevel
    public var nameVi: String
    public var nameEn: String
    public var descriptionVi: String
    public var descriptionEn: String
    public var legalBasis: DatabaseLegalBasis
    public var themes: [DataTheme]
    public var keywords: [String]
    /// How many records the database holds, counted on `recordCountDate`.
    public var recordCount: Int?
    public var recordCountDate: CivilDate?
    public var frequency: UpdateFrequency
    /// When its data were last updated (not its description).
    public var lastUpdate: CivilDate?
    /// Since when it is connected to the national data-sharing platform; nil if it is not.
    public var connectedSince: CivilDate?
    public var access: DataAccess
    /// The legal basis that restricts access (required unless access is open).
    public var accessBasis: String
    public var distributions: [Distribution]
    /// A functional mailbox of the owner (never a person's address).
    public var contactEmail: String
    /// Demo content that is not a published fact.
    public var illustrative: Bool

    public init(
        code: String, owner: String, level: DatabaseLevel, nameVi: String, nameEn: String, descriptionVi: String,
        descriptionEn: String, legalBasis: DatabaseLegalBasis, themes: [DataTheme], keywords: [String] = [],
        recordCount: Int?, recordCountDate: CivilDate?, frequency: UpdateFrequency, lastUpdate: CivilDate?,
        connectedSince: CivilDate?, access: DataAccess, accessBasis: String, distributions: [Distribution],
        contactEmail: String, illustrative: Bool = false
    ) {
        self.code = code
        self.owner = owner
        self.level = level
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.descriptionVi = descriptionVi
        self.descriptionEn = descriptionEn
        self.legalBasis = legalBasis
        self.themes = themes
        self.keywords = keywords
        self.recordCount = recordCount
        self.recordCountDate = recordCountDate
        self.frequency = frequency
        self.lastUpdate = lastUpdate
        self.connectedSince = connectedSince
        self.access = access
        self.accessBasis = accessBasis
        self.distributions = distributions
        self.contactEmail = contactEmail
        self.illustrative = illustrative
    }

    public func name(in language: Language) -> String {
        language == .en && !nameEn.isEmpty ? nameEn : nameVi
    }

    public func description(in language: Language) -> String {
        language == .en && !descriptionEn.isEmpty ? descriptionEn : descriptionVi
    }

    /// What a search compares a query with: both names, the code and the keywords, folded.
    public var searchText: String {
        SearchKey.fold(([code, nameVi, nameEn] + keywords).joined(separator: " "))
    }
}

/// The document that founds a database, and where to read it.
public struct DatabaseLegalBasis: Codable, Sendable, Hashable {
    /// "Nghị định 47/2024/NĐ-CP".
    public var document: String
    /// An `https` link to the text; empty when none is known.
    public var link: String

    public init(document: String, link: String) {
        self.document = document
        self.link = link
    }
}

/// One way to reach a database's data: a page or service, and a file where one can be downloaded.
public struct Distribution: Codable, Sendable, Hashable {
    public var accessURL: String
    public var downloadURL: String
    public var format: FileFormat?
    /// The declared media type; empty where only the format is given.
    public var mediaType: String
    /// The licence's URL; empty where none is given.
    public var licence: String
    /// The columns a CSV sample must have, in order, where a schema is declared.
    public var columns: [String]

    public init(
        accessURL: String, downloadURL: String = "", format: FileFormat?, mediaType: String = "", licence: String = "",
        columns: [String] = []
    ) {
        self.accessURL = accessURL
        self.downloadURL = downloadURL
        self.format = format
        self.mediaType = mediaType
        self.licence = licence
        self.columns = columns
    }

    /// The licences the metadata quality scheme recognises as known ones.
    public static let knownLicences: Set<String> = [
        "https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://creativecommons.org/licenses/by-sa/4.0/", "https://opendatacommons.org/licenses/by/1-0/",
        "https://opendatacommons.org/licenses/odbl/1-0/", "https://opendatacommons.org/licenses/pddl/1-0/",
    ]
}
