/// The catalogue as DCAT-AP 3 nodes: one `dcat:Catalog` for the whole catalogue or one unit's,
/// and per database a `dcat:Dataset` with its distributions, each typed as the DCAT-AP shapes ask
/// (`../shared/vectors/dcat-ap-3`). IRIs are stable: a database's is its page's address with
/// `#dataset`, so that the export and the portal name the same thing. The portal's own IRIs are
/// written relative to the site (`catalogue/HN-SDD#dataset`), which the document names as its base:
/// a database's statements are then the same bytes whatever address the site is reached at, and are
/// kept rendered (`rendering(_:owner:as:)`).
public enum DCATExport {
    /// The two syntaxes of the export.
    public enum Format: String, Sendable, CaseIterable {
        case jsonLD = "jsonld"
        case turtle = "ttl"

        public var contentType: String {
            switch self {
            case .jsonLD: "application/ld+json; charset=utf-8"
            case .turtle: "text/turtle; charset=utf-8"
            }
        }

        /// The format an `Accept` header prefers: Turtle when it names `text/turtle` before any
        /// JSON type, JSON-LD otherwise.
        public static func negotiated(_ accept: String?) -> Format {
            let types = (accept ?? "").lowercased().split(separator: ",").map {
                $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            }
            let turtle = types.firstIndex(of: "text/turtle")
            let json = types.firstIndex { $0 == "application/ld+json" || $0 == "application/json" }
            if let turtle, json.map({ turtle < $0 }) ?? true { return .turtle }
            return .jsonLD
        }

        /// A document's start, naming `base` (the site's address, ending in "/") as the base of
        /// its relative IRIs.
        public func head(base: String) -> [UInt8] {
            switch self {
            case .jsonLD: JSONLDWriter.head(base: base)
            case .turtle: Array(TurtleWriter.head(base: base).utf8)
            }
        }

        /// What goes between two nodes' statements.
        public var separator: [UInt8] { self == .jsonLD ? JSONLDWriter.separator : [] }

        public var tail: [UInt8] { self == .jsonLD ? JSONLDWriter.tail : [] }

        /// `node`'s statements.
        public func write(_ node: RDFNode) -> [UInt8] {
            switch self {
            case .jsonLD:
                var out: [UInt8] = []
                JSONLDWriter.write(node, into: &out)
                return out
            case .turtle:
                var out: [UInt8] = []
                TurtleWriter.write(node, into: &out)
                return out
            }
        }
    }

    /// A database's statements in one format, as the export writes them: what they were rendered
    /// from (the approved version, and the publisher's `mark`) tells whether they still hold.
    public struct Rendering: Sendable, Hashable {
        public var code: String
        public var format: Format
        public var version: Int
        public var publisher: String
        public var body: [UInt8]

        public init(code: String, format: Format, version: Int, publisher: String, body: [UInt8]) {
            self.code = code
            self.format = format
            self.version = version
            self.publisher = publisher
            self.body = body
        }
    }

    /// `entry` (approved as `version`) rendered in `format`, its owner named as `owner`.
    public static func rendering(
        _ entry: CatalogueEntry, version: Int, owner: Publisher, as format: Format
    )
        -> Rendering
    {
        Rendering(
            code: entry.code, format: format, version: version, publisher: owner.mark,
            body: format.write(dataset(entry, owner: owner)))
    }

    /// A unit as the export names it: the publisher of its databases.
    public struct Publisher: Sendable, Hashable {
        public var code: String
        public var nameVi: String
        public var nameEn: String
        /// Whether the unit covers the whole country (the committee and ministries) rather than
        /// one province or commune.
        public var national: Bool

        public init(code: String, nameVi: String, nameEn: String, national: Bool) {
            self.code = code
            self.nameVi = nameVi
            self.nameEn = nameEn
            self.national = national
        }

        /// What a database's statements say of their publisher: when it changes, they are
        /// rendered again.
        public var mark: String { "\(national ? "national" : "local")\n\(nameVi)\n\(nameEn)" }
    }

    /// A database's IRI, relative to the site.
    public static func datasetIRI(code: String) -> String { "catalogue/\(code)#dataset" }

    public static func catalogueIRI(unit: String?) -> String {
        unit.map { "open-data/catalogue/\($0)" } ?? "open-data/catalogue"
    }

    static func agent(_ publisher: Publisher) -> RDFObject {
        var node = RDFNode(id: "units/\(publisher.code)", types: ["foaf:Agent"])
        node.add("foaf:name", names(publisher.nameVi, publisher.nameEn))
        return .node(node)
    }

    static func names(_ vi: String, _ en: String) -> [RDFObject] {
        [.text(vi, language: "vi")] + (en.isEmpty ? [] : [.text(en, language: "en")])
    }

    /// The catalogue: of every unit (`unit` nil, published by the committee) or of one.
    public static func catalogue(unit: String?, publisher: Publisher, datasets: [String]) -> RDFNode {
        var node = RDFNode(id: catalogueIRI(unit: unit), types: ["dcat:Catalog"])
        let (titleVi, titleEn) =
            unit == nil
            ? ("Danh mục cơ sở dữ liệu", "Database catalogue")
            : ("Danh mục cơ sở dữ liệu của \(publisher.nameVi)", "Database catalogue of \(publisher.nameEn)")
        node.add("dct:title", names(titleVi, titleEn))
        node.add(
            "dct:description",
            names(
                "Các cơ sở dữ liệu do các bộ, ngành, địa phương khai báo, kèm đánh giá đúng, đủ, sạch, sống.",
                "The databases declared by ministries, sectors and localities, with their assessment: correct, sufficient, clean, living."
            ))
        node.add("dct:publisher", [agent(publisher)])
        node.add("foaf:homepage", [.node(RDFNode(id: "catalogue", types: ["foaf:Document"]))])
        node.add("dcat:dataset", datasets.map { .iri(datasetIRI(code: $0)) })
        return node
    }

    /// One database, as its approved entry describes it.
    public static func dataset(_ entry: CatalogueEntry, owner: Publisher) -> RDFNode {
        let page = "catalogue/\(entry.code)"
        var node = RDFNode(id: datasetIRI(code: entry.code), types: ["dcat:Dataset"])
        let note =
            entry.illustrative
            ? (" (Minh họa, không phải số liệu công bố.)", " (Illustrative, not a published fact.)") : ("", "")
        node.add("dct:identifier", [.typed(entry.code, datatype: "xsd:string")])
        node.add("dct:title", names(entry.nameVi, entry.nameEn))
        node.add(
            "dct:description",
            names(
                (entry.descriptionVi.isEmpty ? entry.nameVi : entry.descriptionVi) + note.0,
                entry.descriptionEn.isEmpty ? "" : entry.descriptionEn + note.1))
        node.add("dct:publisher", [agent(owner)])
        node.add("dcat:landingPage", [.node(RDFNode(id: page, types: ["foaf:Document"]))])
        node.add(
            "dcat:theme",
            entry.themes.map { theme in
                var concept = RDFNode(id: theme.authorityURI, types: ["skos:Concept"])
                concept.add("skos:prefLabel", names(theme.name(in: .vi), theme.name(in: .en)))
                return .node(concept)
            })
        node.add("dcat:keyword", entry.keywords.map { .text($0, language: "vi") })
        node.add("dct:accrualPeriodicity", [.node(RDFNode(id: entry.frequency.authorityURI, types: ["dct:Frequency"]))])
        if let lastUpdate = entry.lastUpdate {
            node.add("dct:modified", [.typed(lastUpdate.description, datatype: "xsd:date")])
        }
        node.add("dct:accessRights", [.node(RDFNode(id: entry.access.authorityURI, types: ["dct:RightsStatement"]))])
        var location = RDFNode(
            id: owner.national ? "http://publications.europa.eu/resource/authority/country/VNM" : nil,
            types: ["dct:Location"])
        location.add(
            "locn:geographicName",
            names(owner.national ? "Việt Nam" : owner.nameVi, owner.national ? "Viet Nam" : owner.nameEn))
        node.add("dct:spatial", [.node(location)])
        if !entry.contactEmail.isEmpty {
            var contact = RDFNode(id: nil, types: ["vcard:Kind"])
            contact.add("vcard:fn", names(owner.nameVi, owner.nameEn))
            contact.add("vcard:hasEmail", [.iri("mailto:\(entry.contactEmail)")])
            node.add("dcat:contactPoint", [.node(contact)])
        }
        if !entry.legalBasis.link.isEmpty {
            var law = RDFNode(id: entry.legalBasis.link, types: ["eli:LegalResource"])
            if !entry.legalBasis.document.isEmpty {
                law.add("dct:title", [.text(entry.legalBasis.document, language: "vi")])
            }
            node.add("dcatap:applicableLegislation", [.node(law)])
        }
        node.add(
            "dcat:distribution",
            entry.distributions.enumerated().map { index, distribution in
                .node(self.distribution(distribution, id: "\(page)#distribution-\(index + 1)"))
            })
        return node
    }

    static func distribution(_ distribution: Distribution, id: String) -> RDFNode {
        var node = RDFNode(id: id, types: ["dcat:Distribution"])
        // The shapes ask that the links be resources: typed so, since the export asks no
        // inference of its readers.
        node.add("dcat:accessURL", [.node(RDFNode(id: distribution.accessURL, types: ["rdfs:Resource"]))])
        if !distribution.downloadURL.isEmpty {
            node.add("dcat:downloadURL", [.node(RDFNode(id: distribution.downloadURL, types: ["rdfs:Resource"]))])
        }
        if let format = distribution.format {
            node.add("dct:format", [.node(RDFNode(id: format.authorityURI, types: ["dct:MediaTypeOrExtent"]))])
        }
        let mediaType = distribution.mediaType.isEmpty ? distribution.format?.mediaType : distribution.mediaType
        if let mediaType {
            node.add(
                "dcat:mediaType",
                [
                    .node(
                        RDFNode(
                            id: "https://www.iana.org/assignments/media-types/\(mediaType)", types: ["dct:MediaType"]))
                ])
        }
        if !distribution.licence.isEmpty {
            node.add("dct:license", [.node(RDFNode(id: distribution.licence, types: ["dct:LicenseDocument"]))])
        }
        return node
    }
}
