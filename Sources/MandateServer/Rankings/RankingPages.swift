import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// Rankings: the published ones for everyone; for committee roles, drafts, two methods side by
/// side, and publishing.
struct RankingPages {
    let rankings: any RankingRepository
    let computer: RankingComputer
    /// Published ranking pages as anonymous visitors see them, shared with the API.
    let cache: ResponseCache
    let units: any UnitRepository
    let access: AccessGuard
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/rankings", use: index)
        router.get("/rankings/draft", use: draft)
        router.get("/rankings/compare", use: compare)
        router.post("/rankings/publish", use: publish)
        router.get("/rankings/{method}/{period}", use: show)
    }

    private func frame(_ request: Request, _ context: AppRequestContext, _ title: String) -> PageRenderer.Frame {
        .init(request: request, language: context.language, identity: context.identity, title: title)
    }

    /// Published rankings; for committee roles, the forms to draft, compare and publish.
    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        let methods = try await rankings.methods()
        let names = Dictionary(uniqueKeysWithValues: methods.map { ($0.id, name(of: $0, language)) })
        let publications = try await rankings.publications().map { summary -> [String: Any] in
            [
                "href": "/rankings/\(summary.methodId)/\(summary.period)?version=\(summary.version)",
                "method": names[summary.methodId] ?? summary.methodId, "methodId": summary.methodId,
                "period": summary.period, "version": summary.version, "publishedAt": summary.publishedAt,
                "kind": pages.text("kind_\(summary.unitKind.rawValue)", language),
            ]
        }
        var data: [String: Any] = [
            "publications": publications, "hasPublications": !publications.isEmpty,
            "methods": methods.map { ["id": $0.id, "version": $0.version, "name": name(of: $0, language)] },
        ]
        if let identity = context.identity, identity.user.role.isCommitteeRole {
            data["committee"] = true
        }
        return try pages.render(
            "rankings", frame: frame(request, context, pages.text("rankings_title", language)), data: data
        ).depending(on: [.rankings])
    }

    /// A published ranking, with its method, digest and inputs.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity == nil else {
            return PageRenderer.response(html: try await showHTML(request, context), signedIn: true)
        }
        return try await cache.respond(
            to: request, key: "page \(context.language.rawValue) \(request.uri)",
            contentType: "text/html; charset=utf-8", dependingOn: [.rankings]
        ) { Data(try await showHTML(request, context).utf8) }
    }

    func showHTML(_ request: Request, _ context: AppRequestContext) async throws -> String {
        let methodId = try context.parameters.require("method")
        let period = try context.parameters.require("period")
        let version = try RankingsController.version(request.uri.queryParameters, "version")
        guard let ranking = try await rankings.published(methodId: methodId, period: period, version: version) else {
            throw AppError.notFound("no published ranking \(methodId) for \(period)")
        }
        let language = context.language
        var data = try await table(ranking.method, ranking.result, language)
        let reproduction = RankingReproduction(ranking)
        data["version"] = ranking.version
        data["publishedAt"] = ranking.publishedAt
        data["digest"] = ranking.inputDigest
        data["inputsHref"] = reproduction.inputs.path
        data["methodHref"] = reproduction.method.path
        data["unitsHref"] = reproduction.units.path
        data["command"] = reproduction.command
        data["jsonHref"] = "/api/v1/rankings/\(methodId)/\(period)?version=\(ranking.version)"
        if let latest = try await rankings.latestPublication(methodId: methodId, period: period),
            latest.version > ranking.version
        {
            data["superseded"] = pages.text("rankings_superseded", language)
                .replacingOccurrences(of: "{version}", with: String(ranking.version))
                .replacingOccurrences(of: "{latest}", with: String(latest.version))
                .replacingOccurrences(of: "{publishedAt}", with: latest.publishedAt)
            data["latestHref"] = "/rankings/\(methodId)/\(period)?version=\(latest.version)"
        }
        let title = "\(name(of: ranking.method, language)), \(period)"
        return try pages.html("ranking", frame: frame(request, context, title), data: data)
    }

    /// A draft computed from the current data, with the form that publishes it.
    @Sendable func draft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = try AuthenticatedContext(context: context)
        try await requireCommittee(context)
        let parameters = request.uri.queryParameters
        let methodId = parameters.formValue("method") ?? ""
        let period = parameters.formValue("period") ?? ""
        let previous = parameters.formValue("previous").flatMap { $0.isEmpty ? nil : $0 }
        let computed = try await controller.compute(
            methodId: methodId, period: period, methodVersion: nil, previous: previous)
        return try await draftPage(request, context, computed, previous: previous)
    }

    /// The draft page: the ranking, and the form that publishes it carrying what the analyst
    /// reviews (method version, digests of the inputs and of the method as applied). `changes`:
    /// how it differs from the draft the analyst was shown before, when publishing that was refused.
    func draftPage(
        _ request: Request, _ context: AuthenticatedContext, _ computed: RankingComputer.Computed, previous: String?,
        changes: [ReviewedDraft.Change] = []
    ) async throws -> Response {
        let language = context.language
        var data = try await table(computed.method, computed.result, language)
        data["draft"] = true
        data["csrf"] = context.identity.csrfToken ?? ""
        data["previousInput"] = previous ?? ""
        data["digest"] = computed.result.inputDigest ?? ""
        data["methodDigest"] = PublishedRanking.digest(computed.method)
        if !changes.isEmpty {
            data["changed"] = true
            data["changes"] = changes.map { text(of: $0, language) }
        }
        let period = computed.result.period
        let title = "\(pages.text("rankings_draftTitle", language)): \(name(of: computed.method, language)), \(period)"
        return try pages.render(
            "ranking",
            frame: .init(request: request, language: language, identity: context.identity, title: title), data: data,
            status: changes.isEmpty ? .ok : .conflict)
    }

    /// Two methods' drafts for the same period, unit by unit.
    @Sendable func compare(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = try AuthenticatedContext(context: context)
        try await requireCommittee(context)
        let parameters = request.uri.queryParameters
        let period = parameters.formValue("period") ?? ""
        let first = try await controller.compute(
            methodId: parameters.formValue("a") ?? "", period: period, methodVersion: nil, previous: nil)
        let second = try await controller.compute(
            methodId: parameters.formValue("b") ?? "", period: period, methodVersion: nil, previous: nil)
        let language = context.language
        let names = try await unitNames(first.method.unitKind)
        let other = Dictionary(uniqueKeysWithValues: second.result.units.map { ($0.unit, $0) })
        let rows = first.result.units.map { unit -> [String: Any] in
            let b = other[unit.unit]
            var row: [String: Any] = [
                "code": unit.unit, "name": names[unit.unit] ?? unit.unit, "rankA": unit.rank.map(String.init) ?? "–",
                "scoreA": Self.score(unit.score, language), "rankB": b?.rank.map(String.init) ?? "–",
                "scoreB": Self.score(b?.score, language),
            ]
            if let a = unit.rank, let rank = b?.rank { row["difference"] = Self.signed(rank - a) }
            return row
        }
        let data: [String: Any] = [
            "period": period, "methodA": name(of: first.method, language), "methodB": name(of: second.method, language),
            "idA": first.method.id, "idB": second.method.id, "rows": rows,
            "sameKind": first.method.unitKind == second.method.unitKind,
        ]
        let title = "\(pages.text("rankings_compareTitle", language)), \(period)"
        return try pages.render(
            "ranking-compare",
            frame: .init(request: request, language: language, identity: context.identity, title: title), data: data)
    }

    /// Publishes the draft the analyst reviewed. The ranking is computed again; if the method (its
    /// version, or an indicator's target) or the inputs changed since the draft was shown, nothing
    /// is published and the new draft is shown with what changed.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let context = try AuthenticatedContext(context: context)
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let methodId = fields["method"] ?? ""
        let period = fields["period"] ?? ""
        try await access.require(
            .publishRanking, on: context.user.unitCode, by: context.user, target: "ranking:\(methodId)/\(period)",
            requestId: context.id, logger: context.logger)
        let previous = fields["previous"].flatMap { $0.isEmpty ? nil : $0 }
        let reviewed = ReviewedDraft(
            methodVersion: try RankingsController.version(fields["methodVersion"], field: "methodVersion"),
            inputsDigest: try RankingsController.digest(fields["expectedInputsDigest"], field: "expectedInputsDigest"),
            methodDigest: try RankingsController.digest(fields["expectedMethodDigest"], field: "expectedMethodDigest"))
        let computed = try await controller.compute(
            methodId: methodId, period: period, methodVersion: nil, previous: previous)
        let changes = reviewed.changes(method: computed.method, result: computed.result)
        guard changes.isEmpty else {
            return try await draftPage(request, context, computed, previous: previous, changes: changes)
        }
        let published = try await controller.publish(computed, by: context.user.id)
        let location = "/rankings/\(published.methodId)/\(published.period)?version=\(published.version)"
        return Response(status: .seeOther, headers: [.location: location])
    }

    /// The controller the pages share the API's computing and publishing with.
    var controller: RankingsController {
        RankingsController(
            rankings: rankings, computer: computer, cache: cache, units: units, access: access, clock: access.clock)
    }

    func requireCommittee(_ context: AuthenticatedContext) async throws {
        try await controller.requireCommittee(context)
    }

    func unitNames(_ kind: UnitKind) async throws -> [String: String] {
        let list = try await units.list(UnitQuery(kind: kind, includeInactive: true, limit: 1_000_000)).items
        return Dictionary(list.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    func name(of method: RankingMethod, _ language: Language) -> String {
        language == .vi ? method.nameVi : method.nameEn
    }

    /// A score with two decimals, in the language's decimal separator; "–" for none.
    static func score(_ value: Double?, _ language: Language, signed: Bool = false) -> String {
        guard let value else { return "–" }
        let text = String(format: signed ? "%+.2f" : "%.2f", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    static func signed(_ value: Int) -> String {
        value > 0 ? "+\(value)" : "\(value)"
    }
}
