import Foundation

/// A fact the system publishes (an accepted task report, an approved data value, a published
/// ranking) as it enters the transparency log: one leaf.
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
    }

    public let kind: Kind
    /// Identifies the fact among all published ones, e.g. `approved-value/DTI-01/01/2026Q1/2`.
    public let key: String
    public let fields: [String: String]
    /// The format version of the canonical bytes.
    public let v: Int

    /// The largest leaf the log accepts.
    public static let maximumSize = 64 * 1024
    /// Field names that would carry personal data; a fact with one is refused.
    public static let forbiddenFields: Set<String> = [
        "email", "user", "userId", "userName", "name", "displayName", "phone", "author", "reviewer",
    ]

    public init(kind: Kind, key: String, fields: [String: String]) throws(ValidationFailure) {
        self.kind = kind
        self.key = key
        self.fields = fields
        self.v = 1
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

    /// The leaf's bytes, as documented above.
    public var canonicalBytes: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
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
