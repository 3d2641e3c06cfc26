import Hummingbird
import MandateCore

extension RankingsController {
    /// The inputs' canonical CSV of a published ranking: its SHA-256 is the ranking's `inputDigest`,
    /// and `mandate rank` recomputes the ranking from it and the frozen method.
    @Sendable func inputs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ranking = try await published(request, context)
        guard
            let text = try await rankings.inputs(
                methodId: ranking.methodId, period: ranking.period, version: ranking.version)
        else { throw AppError.notFound("no inputs for \(ranking.factKey)") }
        return Self.download(text, type: "text/csv; charset=utf-8", as: RankingReproduction(ranking).inputs.name)
    }

    /// The method of a published ranking as it was applied (targets resolved), in canonical JSON:
    /// its SHA-256 is the `methodDigest` of the ranking's fact in the log.
    @Sendable func frozenMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ranking = try await published(request, context)
        return Self.download(
            String(decoding: PublishedRanking.canonicalJSON(ranking.method), as: UTF8.self),
            type: "application/json", as: RankingReproduction(ranking).method.name)
    }

    /// The units a published ranking lists, ranked or not, as `code,kind`: with `--units`, `mandate
    /// rank` lists the same units.
    @Sendable func rankedUnits(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ranking = try await published(request, context)
        return Self.download(
            RankingUnitsFile.csv(units: ranking.result.units.map(\.unit), kind: ranking.method.unitKind),
            type: "text/csv; charset=utf-8", as: RankingReproduction(ranking).units.name)
    }

    /// A file of a published ranking: it never changes, so anyone may keep it a while.
    static func download(_ text: String, type: String, as name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "public, max-age=60",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
