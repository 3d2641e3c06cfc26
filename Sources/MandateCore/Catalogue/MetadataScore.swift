/// A database's metadata scored on the 405-point scheme of data.europa.eu's Metadata Quality
/// Assessment (MQA): findability 100, accessibility 100, interoperability 110, reusability 75,
/// contextuality 20; rated excellent from 351, good from 221, sufficient from 121, bad below.
/// What it grades is the description, not the data: the four `DatabaseQualities` grade the data.
///
/// The points of a distribution's property are shared among the distributions: half of them
/// having it earns half the points. A link never probed earns nothing for answering.
public struct MetadataScore: Codable, Sendable, Hashable {
    public struct Item: Codable, Sendable, Hashable {
        public var dimension: Dimension
        /// The indicator, as the MQA names it ("Keyword usage").
        public var indicator: String
        public var points: Int
        public var maximum: Int
    }

    public enum Dimension: String, Codable, Sendable, CaseIterable {
        case findability, accessibility, interoperability, reusability, contextuality
    }

    public enum Rating: String, Codable, Sendable {
        case excellent, good, sufficient, bad

        public static func of(_ points: Int) -> Rating {
            switch points {
            case 351...: .excellent
            case 221...: .good
            case 121...: .sufficient
            default: .bad
            }
        }

        public func name(in language: Language) -> String {
            switch (self, language) {
            case (.excellent, .vi): "Xuất sắc"
            case (.excellent, .en): "Excellent"
            case (.good, .vi): "Tốt"
            case (.good, .en): "Good"
            case (.sufficient, .vi): "Đạt"
            case (.sufficient, .en): "Sufficient"
            case (.bad, .vi): "Kém"
            case (.bad, .en): "Bad"
            }
        }
    }

    public var items: [Item]
    public static let maximum = 405

    public init(items: [Item]) {
        self.items = items
    }

    public var points: Int { items.reduce(0) { $0 + $1.points } }
    public var rating: Rating { .of(points) }

    public func points(of dimension: Dimension) -> Int {
        items.filter { $0.dimension == dimension }.reduce(0) { $0 + $1.points }
    }

    public static func of(_ entry: CatalogueEntry, probes: [String: LinkProbe]) -> MetadataScore {
        let distributions = entry.distributions
        /// `maximum` points shared by the distributions that meet `test`.
        func share(_ maximum: Int, _ test: (Distribution) -> Bool) -> Int {
            guard !distributions.isEmpty else { return 0 }
            return maximum * distributions.filter(test).count / distributions.count
        }
        func whole(_ maximum: Int, _ met: Bool) -> Int { met ? maximum : 0 }
        let answered = { (url: String) in !url.isEmpty && probes[url]?.answered == true }
        let mandatory =
            !entry.nameVi.isEmpty && !entry.descriptionVi.isEmpty && !distributions.isEmpty
            && distributions.allSatisfy { !$0.accessURL.isEmpty }
        let rows: [(Dimension, String, Int, Int)] = [
            (.findability, "Keyword usage", whole(30, !entry.keywords.isEmpty), 30),
            (.findability, "Categories", whole(30, !entry.themes.isEmpty), 30),
            // Every entry names its owner, whose area is the database's spatial coverage.
            (.findability, "Geo search", whole(20, !entry.owner.isEmpty), 20),
            (.findability, "Time based search", whole(20, entry.recordCountDate != nil), 20),
            (.accessibility, "AccessURL accessibility", share(50) { answered($0.accessURL) }, 50),
            (.accessibility, "DownloadURL", share(20) { !$0.downloadURL.isEmpty }, 20),
            (.accessibility, "DownloadURL accessibility", share(30) { answered($0.downloadURL) }, 30),
            (.interoperability, "Format", share(20) { $0.format != nil }, 20),
            (.interoperability, "Media type", share(10) { !$0.mediaType.isEmpty }, 10),
            (
                .interoperability, "Format / Media type from vocabulary",
                share(10) { $0.format != nil && ($0.mediaType.isEmpty || $0.mediaType == $0.format?.mediaType) }, 10
            ),
            (.interoperability, "Non-proprietary", share(20) { $0.format?.isNonProprietary == true }, 20),
            (.interoperability, "Machine readable", share(20) { $0.format?.isMachineReadable == true }, 20),
            (.interoperability, "DCAT-AP compliance", whole(30, mandatory), 30),
            (.reusability, "License information", share(20) { !$0.licence.isEmpty }, 20),
            (
                .reusability, "License vocabulary",
                share(10) { Distribution.knownLicences.contains($0.licence) }, 10
            ),
            // Access is always chosen from the EU access-right vocabulary.
            (.reusability, "Access restrictions", 10, 10),
            (.reusability, "Access restrictions vocabulary", 5, 5),
            (.reusability, "Contact point", whole(20, !entry.contactEmail.isEmpty), 20),
            (.reusability, "Publisher", whole(10, !entry.owner.isEmpty), 10),
            (.contextuality, "Rights", whole(5, !entry.accessBasis.isEmpty || entry.access == .open), 5),
            (.contextuality, "File size", 0, 5),
            (.contextuality, "Date of issue", whole(5, entry.connectedSince != nil), 5),
            (.contextuality, "Modification date", whole(5, entry.lastUpdate != nil), 5),
        ]
        return MetadataScore(
            items: rows.map { Item(dimension: $0.0, indicator: $0.1, points: $0.2, maximum: $0.3) })
    }
}

/// A database's class, A, B or C, as a draft decree proposed ranking databases each year. The
/// rule: C when any of the four qualities is not met or the metadata is rated bad; A when all four
/// are met and the metadata is rated good or excellent; B otherwise (something is not yet known,
/// or the metadata is only sufficient).
public enum DatabaseClass: String, Codable, Sendable, CaseIterable {
    case a = "A"
    case b = "B"
    case c = "C"

    public static func of(_ qualities: DatabaseQualities, score: MetadataScore) -> DatabaseClass {
        let states = qualities.all.map(\.finding.state)
        if states.contains(.notMet) || score.rating == .bad { return .c }
        if states.allSatisfy({ $0 == .met }), score.rating == .good || score.rating == .excellent { return .a }
        return .b
    }
}
