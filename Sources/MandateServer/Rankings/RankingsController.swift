import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/api/v1/ranking-methods` and `/api/v1/rankings`: methods (public to read, committee roles to
/// define), published rankings with their frozen method and inputs (public), and drafts
/// (committee roles only) before a committee analyst publishes them.
struct RankingsController {
    let rankings: any RankingRepository
    let computer: RankingComputer
    /// Published rankings as read, shared with the pages; dropped by a publication's commit.
    let cache: ResponseCache
    let units: any UnitRepository
    let access: AccessGuard
    let clock: AppClock

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
        let version = try Self.version(request.uri.queryParameters, "version")
        return try JSONBody.response(try await method(id, version: version))
    }

    @Sendable func createMethod(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw AppError(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the method as application/json")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let method = try RankingMethod.decode(Data(buffer: body))
        try await access.require(
            .defineRankingMethod, on: context.user.unitCode, by: context.user,
            target: "ranking-method:\(method.id)/\(method.version)", requestId: context.id, logger: context.logger)
        do {
            try await rankings.saveMethod(method, at: clock.now())
        } catch let failure as ValidationFailure {
            throw AppError(
                .conflict, "conflict", "Conflict", detail: failure.errors.first?.description, errors: failure.errors)
        }
        return try JSONBody.response(method, status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(["items": try await rankings.publications()])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Read by every visitor of a ranking; kept until a publication commits (or a few seconds).
        try await cache.respond(to: request, key: "json \(request.uri)", dependingOn: [.rankings]) {
            let ranking = try await published(request, context)
            return try JSONEncoder.api.encode(try await Served(ranking, latest: latest(of: ranking)))
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

    /// The latest published version of the ranking's method and period.
    func latest(of ranking: PublishedRanking) async throws -> PublicationSummary? {
        try await rankings.latestPublication(methodId: ranking.methodId, period: ranking.period)
    }

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

    /// A draft: the ranking the current data give, computed now and not stored, with the digest of
    /// the method as applied, which a publication names (as it names the inputs' digest) to publish
    /// this very draft.
    struct Draft: Encodable {
        let method: RankingMethod
        let result: RankingResult
        let methodDigest: String

        init(_ computed: RankingComputer.Computed) {
            self.method = computed.method
            self.result = computed.result
            self.methodDigest = PublishedRanking.digest(computed.method)
        }
    }

    @Sendable func draft(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await requireCommittee(context)
        let computed = try await compute(request, context)
        return try JSONBody.response(Draft(computed))
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
        let methodId = try context.parameters.require("method")
        let period = try context.parameters.require("period")
        try await access.require(
            .publishRanking, on: context.user.unitCode, by: context.user, target: "ranking:\(methodId)/\(period)",
            requestId: context.id, logger: context.logger)
        let reviewed = ReviewedDraft(
            methodVersion: try Self.version(body.methodVersion, field: "methodVersion"),
            inputsDigest: try Self.digest(body.expectedInputsDigest, field: "expectedInputsDigest"),
            methodDigest: try Self.digest(body.expectedMethodDigest, field: "expectedMethodDigest"))
        let computed = try await compute(
            methodId: methodId, period: period, methodVersion: nil, previous: body.previousPeriod)
        let changes = reviewed.changes(method: computed.method, result: computed.result)
        if let first = changes.first {
            throw AppError(
                .conflict, "draft-changed", "The ranking changed since the draft",
                detail: "\(first.field): \(first.reason)",
                errors: changes.map { RowError(line: nil, column: $0.field, reason: $0.reason) })
        }
        let published = try await publish(computed, by: context.user.id)
        return try JSONBody.response(Served(published, latest: nil), status: .created)
    }

    /// Publishes a computed ranking as the next version of its method and period.
    func publish(_ computed: RankingComputer.Computed, by userId: String) async throws -> PublishedRanking {
        let published = try await rankings.publish(
            method: computed.method, result: computed.result, inputsCSV: computed.inputsCSV, by: userId,
            at: clock.now())
        return published
    }

    func compute(_ request: Request, _ context: AuthenticatedContext) async throws -> RankingComputer.Computed {
        let parameters = request.uri.queryParameters
        return try await compute(
            methodId: try context.parameters.require("method"), period: try context.parameters.require("period"),
            methodVersion: try Self.version(parameters, "methodVersion"),
            previous: parameters["previous"].map(String.init))
    }

    func compute(
        methodId: String, period: String, methodVersion: Int?, previous: String?
    ) async throws
        -> RankingComputer.Computed
    {
        let method = try await method(methodId, version: methodVersion)
        return try await computer.compute(
            method, period: try Self.period(period, field: "period"),
            previous: try previous.map { try Self.period($0, field: "previousPeriod") })
    }

    func method(_ id: String, version: Int?) async throws -> RankingMethod {
        guard let method = try await rankings.method(id: id, version: version) else {
            throw AppError.notFound("no ranking method \"\(id)\"" + (version.map { " version \($0)" } ?? ""))
        }
        return method
    }

    func published(_ request: Request, _ context: AppRequestContext) async throws -> PublishedRanking {
        let methodId = try context.parameters.require("method")
        let period = try context.parameters.require("period")
        let version = try Self.version(request.uri.queryParameters, "version")
        guard let ranking = try await rankings.published(methodId: methodId, period: period, version: version) else {
            throw AppError.notFound(
                "no published ranking \(methodId) for \(period)" + (version.map { " version \($0)" } ?? ""))
        }
        return ranking
    }

    /// Drafts are the committee's: only committee roles see them.
    func requireCommittee(_ context: AuthenticatedContext) async throws {
        guard let path = try await units.path(of: context.user.unitCode) else { throw AppError.unauthenticated }
        let decision = Authorizer.decide(
            role: context.user.role, userUnit: context.user.unitCode, target: path, action: .publishRanking)
        if case .deny(let reason) = decision { throw AppError.forbidden(reason) }
    }

    /// A method version named in a body: a whole number from 1.
    static func version(_ value: Int?, field: String) throws -> Int? {
        guard let value else { return nil }
        guard value >= 1 else { throw AppError.badRequest(field: field, "a version is a whole number from 1") }
        return value
    }

    /// A method version named in a form.
    static func version(_ text: String?, field: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else {
            throw AppError.badRequest(field: field, "a version is a whole number from 1")
        }
        return try version(value, field: field)
    }

    /// A digest named in a body or form: a SHA-256 in lowercase hex.
    static func digest(_ text: String?, field: String) throws -> String? {
        guard let text else { return nil }
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw AppError.badRequest(field: field, "a SHA-256 is 64 lowercase hexadecimal digits")
        }
        return text
    }

    static func version(_ parameters: Parameters, _ name: String) throws -> Int? {
        guard parameters[Substring(name)] != nil else { return nil }
        return try UnitsController.integer(parameters, name, default: 1, in: 1...Int(Int32.max))
    }

    static func period(_ text: String, field: String) throws -> Period {
        do {
            return try Period(text)
        } catch {
            throw AppError.badRequest(field: field, error.reason)
        }
    }
}
