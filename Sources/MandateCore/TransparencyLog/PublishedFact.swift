import Foundation

/// A fact the system publishes (an accepted task report, an approved data value, a published
/// ranking, an accepted rating, a unit's published answer) as it enters the transparency log: one
/// leaf.
///
/// The leaf is the fact's canonical bytes: UTF-8 JSON with keys sorted, no insignificant
/// whitespace, slashes unescaped, every field a string:
/// `{"fields":{…},"key":"…","kind":"…","v":1}`. Facts carry units, codes, values, dates and
/// hashes of evidence, never people: no names, e-mail addresses or account ids.
public struct PublishedFact: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case acceptedReport = "accepted-report"
        case approvedValue = "approved-value"
        case publishedRanking = "published-ranking"
        case acceptedRating = "accepted-rating"
        case publishedAnswer = "published-answer"

        /// Whether a new fact of the kind is announced: sent to live-event clients, shown in the
        /// overview's feed, and marking the log as changed for the pages that list facts. Every
        /// kind but ratings, which come by the thousand a second at the busiest and which no page
        /// lists one by one (their figures are shown instead). Every fact is logged alike.
        public var isAnnounced: Bool { self != .acceptedRating }
    }

    public let kind: Kind
    /// Identifies the fact among all published ones, e.g. `approved-value/DTI-01/01/2026Q1/2`.
    public let key: String
    public let fields: [String: String]
    /// The format version of the canonical bytes.
    public let v: Int
    /// The leaf's bytes, as documented above; made once, as every append and hash reads them.
    public let canonicalBytes: Data

    /// The largest leaf the log accepts.
    public static let maximumSize = 64 * 1024
    /// Field names that would carry personal data; a fact with one is refused.
    public static let forbiddenFields: Set<String> = [
        "email", "user", "userId", "userName", "name", "displayName", "phone", "author", "reviewer",
    ]

    public init(kind: Kind, key: String, fields: [String: String]) throws(ValidationFailure) {
        try self.init(kind: kind, key: key, fields: fields, v: 1)
    }

    private init(kind: Kind, key: String, fields: [String: String], v: Int) throws(ValidationFailure) {
        self.kind = kind
        self.key = key
        self.fields = fields
        self.v = v
        self.canonicalBytes = CanonicalJSON.fact(kind: kind.rawValue, key: key, fields: fields, v: v)
        if key.isEmpty || key.count > 512 {
            throw ValidationFailure(field: "key", reason: "a fact key has 1 to 512 characters")
        }
        if let field = fields.keys.first(where: Self.forbiddenFields.contains) {
            throw ValidationFailure(field: field, reason: "facts never carry personal data")
        }
        if canonicalBytes.count >= Self.maximumSize {
            throw ValidationFailure(field: "fields", reason: "a fact must be under 64 KiB")
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, key, fields, v
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            kind: try container.decode(Kind.self, forKey: .kind), key: try container.decode(String.self, forKey: .key),
            fields: try container.decode([String: String].self, forKey: .fields),
            v: try container.decode(Int.self, forKey: .v))
    }

    /// Reads a leaf back; nil for bytes that are not exactly a fact's canonical form.
    public init?(canonicalBytes data: Data) {
        guard let fact = try? JSONDecoder().decode(PublishedFact.self, from: data), fact.canonicalBytes == data else {
            return nil
        }
        self = fact
    }

    public var leafHash: MerkleHash {
        MerkleHash.leafHash(of: canonicalBytes)
    }
}
