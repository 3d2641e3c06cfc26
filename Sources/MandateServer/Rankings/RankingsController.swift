import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/ranking-methods` and `/api/v1/rankings`: methods (public to read, committee roles to
/// define), published rankings with their frozen method and inputs (public), and drafts
/// (committee roles only) before a committee analyst publishes them.
struct RankingsController {
    let service: RankingService
    var rankings: any RankingRepository { service.rankings }

    func register(on routes: inout APIRoutes) {
        routes.on(.get, "/api/v1/ranking-methods", use: listMethods)
        routes.authenticated(.post, "/api/v1/ranking-methods", use: createMethod)
        routes.on(.get, "/api/v1/ranking-methods/{id}", use: getMethod)
        routes.on(.get, "/api/v1/rankings", use: list)
        routes.on(.get, "/api/v1/rankings/{method}/{period}", use: get)
        routes.on(.get, "/api/v1/rankings/{method}/{period}/inputs", use: inputs)
        routes.on(.get, "/api/v1/rankings/{method}/{period}/method", use: frozenMethod)
        routes.on(.get, "/api/v1/rankings/{method}/{period}/units", use: rankedUnits)
        routes.authenticated(.get, "/api/v1/rankings/{method}/{period}/draft", use: draft)
        routes.authenticated(.post, "/api/v1/rankings/{method}/{period}/publish", use: publish)
    }

    @Sendable func listMethods(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(["items": try await rankings.methods()])
    }

    @Sendable func getMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let version = try RankingParameters.version(request.uri.queryParameters, "version")
        return try JSONBody.response(try await service.method(id, version: version))
    }

    @Sendable func createMethod(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the method as application/json")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let method = try RankingMethod.decode(Data(buffer: body))
        try await service.saveMethod(method, context.caller)
        return try JSONBody.response(method, status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(["items": try await rankings.publications()])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Read by every visitor of a ranking; kept until a publication commits (or a few seconds).
        try await service.cache.respond(to: request, key: "json \(request.uri)", dependingOn: [.rankings]) {
            let ranking = try await published(request, context)
            return try JSONEncoder.api.encode(try await Served(ranking, latest: service.latest(of: ranking)))
        }
    }

    /// A published ranking as served: the frozen publication, and the latest version of its method
    /// and period with its time, so that a reader of an older version sees that a newer one exists.
    struct Served: Encodable {
        let ranking: PublishedRanking
        let latestVersion: Int
        let latestPublishedAt: String

        init(_ ranking: PublishedRanking, latest: PublicationSummary?) {
            let newer = latest.flatMap { $0.version > ranking.version ? $0 : nil }
            self.ranking = ranking
            self.latestVersion = newer?.version ?? ranking.version
            self.latestPublishedAt = newer?.publishedAt ?? ranking.publishedAt
        }

        enum Keys: String, CodingKey { case latestVersion, latestPublishedAt }

        func encode(to encoder: any Encoder) throws {
            try ranking.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(latestVersion, forKey: .latestVersion)
            try container.encode(latestPublishedAt, forKey: .latestPublishedAt)
        }
    }

    /// A draft: the ranking the current data give, computed now and not stored, with the digest of
    /// the method as applied, which a publication names (as it names the inputs' digest) to publish
    /// this very draft.
    struct Draft: Encodable {
        let method: RankingMethod
        let result: RankingResult
        let methodDigest: String

        init(_ computed: RankingComputer.Computed, result: RankingResult) {
            self.method = computed.method
            self.result = result
            self.methodDigest = PublishedRanking.digest(computed.method)
        }
    }

    @Sendable func draft(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let computed = try await service.draft(
            methodId: try context.parameters.require("method"), period: try context.parameters.require("period"),
            methodVersion: try RankingParameters.version(parameters, "methodVersion"),
            previous: parameters["previous"].map(String.init), context.caller)
        return JSONBody.response(
            encoded: try RankingJSON.encode(computed.result) { Draft(computed, result: $0) }, cache: "no-store")
    }

    /// What the publisher reviewed, each part optional: publishing goes ahead only if the ranking
    /// computed now has that method version, inputs digest and method digest.
    struct PublishRequest: Decodable {
        var methodVersion: Int?
        var previousPeriod: String?
        var expectedInputsDigest: String?
        var expectedMethodDigest: String?
    }

    @Sendable func publish(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await JSONBody.decode(PublishRequest.self, from: request, context: context)
        let publication = try await service.publish(
            methodId: try context.parameters.require("method"), period: try context.parameters.require("period"),
            previous: body.previousPeriod,
            reviewed: {
                ReviewedDraft(
                    methodVersion: try RankingParameters.version(body.methodVersion, field: "methodVersion"),
                    inputsDigest: try RankingParameters.digest(
                        body.expectedInputsDigest, field: "expectedInputsDigest"),
                    methodDigest: try RankingParameters.digest(
                        body.expectedMethodDigest, field: "expectedMethodDigest"))
            }, context.caller)
        switch publication {
        case .published(let published):
            let body = try RankingJSON.encode(published.result) { result in
                var ranking = published
                ranking.result = result
                return Served(ranking, latest: nil)
            }
            return JSONBody.response(encoded: body, status: .created, cache: "no-store")
        case .changed(_, let changes):
            throw AppError(
                .conflict, "draft-changed", "The ranking changed since the draft",
                detail: changes.first.map { "\($0.field): \($0.reason)" },
                errors: changes.map { RowError(line: nil, column: $0.field, reason: $0.reason) })
        }
    }

    func published(_ request: Request, _ context: AppRequestContext) async throws -> PublishedRanking {
        try await service.published(
            methodId: try context.parameters.require("method"), period: try context.parameters.require("period"),
            version: try RankingParameters.version(request.uri.queryParameters, "version"))
    }
}
