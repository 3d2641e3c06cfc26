import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// The log as C2SP tlog-tiles (checkpoint, hash tiles, entry bundles), the verifier key, and
/// JSON inclusion and consistency proofs.
struct TransparencyLogController {
    let log: any TransparencyLogRepository
    let identity: LogIdentityHolder
    let values: any DataValueRepository
    let indicators: any IndicatorRepository
    let tasks: any TaskRepository
    let rankings: any RankingRepository
    let feedback: any FeedbackRepository

    static let verifierKeyPath = "/.well-known/mandate-log-key"

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/log/checkpoint", use: checkpoint)
        routes.on(
            .get, routerPath: "/log/tile/**", documentedAs: ["/log/tile/{level}/{index}", "/log/tile/entries/{index}"],
            use: tile)
        routes.on(.get, Self.verifierKeyPath, use: verifierKey)
        routes.on(.get, "/api/v1/log", use: summary)
        routes.on(.get, "/api/v1/log/proof/inclusion", use: inclusion)
        routes.on(.get, "/api/v1/log/proof/consistency", use: consistency)
        routes.on(.get, "/api/v1/log/facts", use: facts)
    }

    struct FactPage: Encodable {
        /// Each fact's canonical bytes, as text.
        let items: [String]
        let limit: Int
        let offset: Int
    }

    /// The facts that are public now, derived afresh from the published data itself (not from
    /// the log), so that an auditor can check each one is in the log: the published rankings
    /// (few) first, then the accepted reports, then the ratings and answers, then the approved
    /// values.
    @Sendable func facts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let limit = try UnitsController.integer(parameters, "limit", default: 10_000, in: 1...10_000)
        let offset = try UnitsController.integer(parameters, "offset", default: 0, in: 0...Int(Int32.max))
        // One sequence the pages walk through: published rankings, accepted reports, feedback, approved values.
        let rankingFacts = try await rankings.facts()
        var facts = Array(rankingFacts.dropFirst(offset).prefix(limit))
        var skip = max(0, offset - rankingFacts.count)
        let reportCount = try await tasks.acceptedReportCount()
        if facts.count < limit, skip < reportCount {
            facts += try await tasks.acceptedReportFacts(limit: limit - facts.count, offset: skip)
        }
        skip = max(0, skip - reportCount)
        let feedbackCount = try await feedback.factCount()
        if facts.count < limit, skip < feedbackCount {
            facts += try await feedback.facts(limit: limit - facts.count, offset: skip)
        }
        skip = max(0, skip - feedbackCount)
        if facts.count < limit {
            let illustrative = Set(try await indicators.list().filter(\.illustrative).map(\.code))
            let page = try await values.list(
                ValueQuery(approvedOnly: true, limit: limit - facts.count, offset: skip))
            facts += try page.map { try $0.publishedFact(illustrative: illustrative.contains($0.indicator)) }
        }
        let items = facts.map { String(decoding: $0.canonicalBytes, as: UTF8.self) }
        return try JSONBody.response(FactPage(items: items, limit: limit, offset: offset), cache: "no-cache")
    }

    private func text(_ body: String, cache: String, type: String = "text/plain; charset=utf-8") -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: cache],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func latest() async throws -> StoredCheckpoint {
        guard let checkpoint = try await log.latestCheckpoint() else {
            throw AppError(
                .serviceUnavailable, "no-checkpoint", "No checkpoint yet",
                detail: "the log has not been signed yet; retry in a second")
        }
        return checkpoint
    }

    @Sendable func checkpoint(_ request: Request, context: AppRequestContext) async throws -> Response {
        text(try await latest().note, cache: "no-cache")
    }

    @Sendable func verifierKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        text(try await identity.current().verifierKey + "\n", cache: "public, max-age=86400")
    }

    /// `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, within the latest checkpoint.
    @Sendable func tile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = "tile/" + context.parameters.getCatchAll().joined(separator: "/")
        let isBundle = path.hasPrefix("tile/entries/")
        let tile: Tile
        do {
            tile = isBundle ? try Tile(entryBundlePath: path) : try Tile(path: path)
        } catch {
            throw AppError.notFound("\(path) is not a tile path: \(error)")
        }
        let size = try await latest().size
        guard tile.leafRange.upperBound <= size else {
            throw AppError.notFound("\(path) is beyond the latest checkpoint (\(size) leaves)")
        }
        guard let data = try await isBundle ? log.bundleData(tile) : log.tileData(tile) else {
            throw AppError.notFound("\(path) is not stored")
        }
        // A tile's bytes never change: a partial tile has its width in its path.
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(data: data))
        ).depending(on: .nothingPublic)
    }

    struct Summary: Encodable {
        let origin: String
        let verifierKey: String
        let treeSize: UInt64
        let rootHash: String
        let checkpoint: String
        let signedAt: String
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let checkpoint = try await latest()
        let identity = try await identity.current()
        return try JSONBody.response(
            Summary(
                origin: identity.origin, verifierKey: identity.verifierKey, treeSize: checkpoint.size,
                rootHash: checkpoint.root.base64, checkpoint: checkpoint.note, signedAt: checkpoint.signedAt),
            cache: "no-cache")
    }

    struct InclusionProof: Encodable {
        let key: String
        let fact: String
        let leafIndex: UInt64
        let treeSize: UInt64
        let leafHash: String
        let proof: [String]
        let rootHash: String
        let checkpoint: String
    }

    /// The proof that a fact (`?key=`, or `?index=`) is in the tree of the latest checkpoint.
    @Sendable func inclusion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let checkpoint = try await latest()
        let entry: LogEntry
        if let key = parameters.formValue("key") {
            guard let found = try await log.entry(key: key) else {
                throw AppError.notFound("no published fact has key \"\(key)\"")
            }
            entry = found
        } else if let text = parameters.formValue("index") {
            guard let index = UInt64(text), let found = try await log.entries(in: index..<(index + 1)).first else {
                throw AppError.badRequest(field: "index", "no leaf has index \"\(text)\"")
            }
            entry = found
        } else {
            throw AppError.badRequest(field: "key", "give the fact's key, or a leaf index")
        }
        guard entry.index < checkpoint.size else {
            throw AppError(
                .conflict, "not-yet-signed", "Not yet in a checkpoint",
                detail:
                    "leaf \(entry.index) is newer than the latest checkpoint (\(checkpoint.size) leaves); retry in a second"
            )
        }
        let proof = try await StoredMerkleTree.inclusionProof(
            leafIndex: entry.index, treeSize: checkpoint.size, reader: LogHashes(log: log))
        return try JSONBody.response(
            InclusionProof(
                key: entry.key, fact: String(decoding: entry.data, as: UTF8.self), leafIndex: entry.index,
                treeSize: checkpoint.size, leafHash: entry.leafHash.base64, proof: proof.map(\.base64),
                rootHash: checkpoint.root.base64, checkpoint: checkpoint.note),
            cache: "no-cache")
    }

    struct ConsistencyProof: Encodable {
        let from: UInt64
        let to: UInt64
        let proof: [String]
        let fromRootHash: String?
        let toRootHash: String
    }

    /// The proof that the tree of `from` leaves is a prefix of the tree of `to` (default: the latest).
    @Sendable func consistency(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let checkpoint = try await latest()
        guard let fromText = parameters.formValue("from"), let from = UInt64(fromText) else {
            throw AppError.badRequest(field: "from", "give the older tree size as a whole number")
        }
        var to = checkpoint.size
        if let toText = parameters.formValue("to") {
            guard let value = UInt64(toText) else { throw AppError.badRequest(field: "to", "expected a whole number") }
            to = value
        }
        guard from >= 1, from <= to, to <= checkpoint.size else {
            throw AppError.badRequest(field: "from", "need 1 ≤ from ≤ to ≤ \(checkpoint.size) (the latest checkpoint)")
        }
        let reader = LogHashes(log: log)
        let proof = try await StoredMerkleTree.consistencyProof(size1: from, size2: to, reader: reader)
        return try JSONBody.response(
            ConsistencyProof(
                from: from, to: to, proof: proof.map(\.base64),
                fromRootHash: try await log.checkpoint(size: from)?.root.base64,
                toRootHash: try await StoredMerkleTree.rootHash(treeSize: to, reader: reader).base64),
            cache: "no-cache")
    }
}
