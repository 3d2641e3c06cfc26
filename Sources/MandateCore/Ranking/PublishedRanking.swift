import Crypto
import Foundation

/// A ranking as published: frozen with the exact method it used (targets resolved), the digest
/// of its inputs and its result. Republishing a period makes a new version; old ones stay.
public struct PublishedRanking: Codable, Sendable, Equatable {
    public var methodId: String
    public var period: String
    /// 1 for the first publication of (method, period), then 2, 3, …
    public var version: Int
    /// The method exactly as applied.
    public var method: RankingMethod
    public var result: RankingResult
    /// SHA-256 of the inputs' canonical CSV, which is served beside the ranking.
    public var inputDigest: String
    public var publishedAt: String

    public init(
        methodId: String, period: String, version: Int, method: RankingMethod, result: RankingResult,
        inputDigest: String, publishedAt: String
    ) {
        self.methodId = methodId
        self.period = period
        self.version = version
        self.method = method
        self.result = result
        self.inputDigest = inputDigest
        self.publishedAt = publishedAt
    }

    /// The key of its fact in the transparency log.
    public var factKey: String { "published-ranking/\(methodId)/\(period)/\(version)" }

    /// The fact publishing it: which method (and the digest of the document), which period, which
    /// version, and the digests of the inputs and of the result, so that anyone holding the three
    /// documents can show they are the ones published. No person is named.
    /// The fact logged for the publication; `resultJSON`, when given, is the result's canonical JSON
    /// (`RankingResult.canonicalJSON`), written once by a caller that also stores it.
    public func publishedFact(resultJSON: [UInt8]? = nil) throws(ValidationFailure) -> PublishedFact {
        let resultDigest = Self.digest(bytes: resultJSON ?? result.canonicalJSON())
        var fields = [
            "methodId": methodId, "methodVersion": String(method.version), "period": period,
            "version": String(version), "inputDigest": inputDigest, "methodDigest": Self.digest(method),
            "resultDigest": resultDigest, "publishedAt": publishedAt,
            "units": String(result.units.filter { $0.rank != nil }.count),
        ]
        if let previous = result.previousPeriod { fields["previousPeriod"] = previous }
        return try PublishedFact(kind: .publishedRanking, key: factKey, fields: fields)
    }

    /// The canonical JSON of a document (keys sorted, slashes unescaped), as served.
    public static func canonicalJSON(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }

    /// SHA-256 of the canonical JSON, lowercase hex.
    public static func digest(_ value: some Encodable) -> String {
        digest(bytes: canonicalJSON(value))
    }

    /// SHA-256 of `bytes`, lowercase hex.
    public static func digest(bytes: some DataProtocol) -> String {
        Hex.lowercase(SHA256.hash(data: bytes))
    }
}
