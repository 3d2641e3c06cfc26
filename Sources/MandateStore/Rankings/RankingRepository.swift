import MandateCore

/// A published ranking in a list: which, when, and the digest of its inputs.
public struct PublicationSummary: Codable, Sendable, Equatable {
    public var methodId: String
    public var methodVersion: Int
    public var period: String
    public var version: Int
    public var unitKind: UnitKind
    public var inputDigest: String
    public var publishedAt: String
}

/// Ranking methods and published rankings.
public protocol RankingRepository: Sendable {
    /// Saves a method version. A saved version never changes: saving the same document again
    /// changes nothing, and a different document under a saved version is refused.
    func saveMethod(_ method: RankingMethod, at: String) async throws
    /// The latest version of every method, by id.
    func methods() async throws -> [RankingMethod]
    /// A method's version (default: its latest).
    func method(id: String, version: Int?) async throws -> RankingMethod?
    /// Stores the ranking as the next version of (method, period), frozen with its method, result
    /// and inputs, and appends its fact to the transparency log in the same transaction.
    func publish(
        method: RankingMethod, result: RankingResult, inputsCSV: String, by userId: String?, at: String
    ) async throws -> PublishedRanking
    /// A published version (default: the latest) of (method, period).
    func published(methodId: String, period: String, version: Int?) async throws -> PublishedRanking?
    /// The latest published version of (method, period): a later one supersedes the others.
    func latestPublication(methodId: String, period: String) async throws -> PublicationSummary?
    /// The inputs' canonical CSV of a published version.
    func inputs(methodId: String, period: String, version: Int) async throws -> String?
    /// Every published version, newest first.
    func publications() async throws -> [PublicationSummary]
    /// The facts of every published version, derived afresh from what is stored.
    func facts() async throws -> [PublishedFact]
}
