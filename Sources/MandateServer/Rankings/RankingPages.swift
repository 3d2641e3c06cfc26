import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// Rankings: the published ones for everyone; for committee roles, drafts, two methods side by
/// side, and publishing.
struct RankingPages {
    let service: RankingService
    let pages: PageRenderer
    var rankings: any RankingRepository { service.rankings }

    func register(on router: Router<AppRequestContext>) {
        router.get("/rankings", use: index)
        router.get("/rankings/draft", use: draft)
        router.get("/rankings/compare", use: compare)
        router.post("/rankings/publish", use: publish)
        registerEditor(on: router)
        router.get("/rankings/{method}/{period}", use: show)
    }

    /// Published rankings; for committee roles, the forms to draft, compare and publish.
    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let methods = try await rankings.methods()
        let names = Dictionary(uniqueKeysWithValues: methods.map { ($0.id, name(of: $0, page.language)) })
        let publications = try await rankings.publications().map { summary in
            RankingsIndexModel.Publication(
                href: "/rankings/\(summary.methodId)/\(summary.period)?version=\(summary.version)",
                method: names[summary.methodId] ?? summary.methodId, methodId: summary.methodId,
                period: summary.period, version: summary.version,
                publishedAt: HanoiTime.text(summary.publishedAt, page.language),
                kind: page.t("kind_\(summary.unitKind.rawValue)"))
        }
        let model = RankingsIndexModel(
            publications: publications, hasPublications: !publications.isEmpty,
            methods: methods.map { .init(id: $0.id, version: $0.version, name: name(of: $0, page.language)) },
            committee: try await service.mayDraft(context.caller))
        return try page.page(.rankings, title: page.t("rankings_title"), model: model, scripts: [.live])
            .depending(on: [.rankings])
    }

    /// A published ranking, with its method, digest and inputs.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity == nil else {
            return PageRenderer.response(html: try await showHTML(request, context), signedIn: true)
        }
        return try await service.cache.respond(
            to: request, key: "page \(context.language.rawValue) \(request.uri)",
            contentType: "text/html; charset=utf-8", dependingOn: [.rankings]
        ) { Data(try await showHTML(request, context).utf8) }
    }

    func showHTML(_ request: Request, _ context: AppRequestContext) async throws -> String {
        let page = PageRequest(request, context, pages)
        let methodId = try context.parameters.require("method")
        let period = try context.parameters.require("period")
        let version = try RankingParameters.version(request.uri.queryParameters, "version")
        let ranking = try await service.published(methodId: methodId, period: period, version: version)
        let reproduction = RankingReproduction(ranking)
        var superseded: String?
        var latestHref: String?
        if let latest = try await service.latest(of: ranking), latest.version > ranking.version {
            superseded = page.t(
                "rankings_superseded",
                [
                    "version": String(ranking.version), "latest": String(latest.version),
                    "publishedAt": HanoiTime.text(latest.publishedAt, page.language),
                ])
            latestHref = "/rankings/\(methodId)/\(period)?version=\(latest.version)"
        }
        let published = RankingModel.Published(
            version: ranking.version, publishedAt: HanoiTime.text(ranking.publishedAt, page.language),
            inputsHref: reproduction.inputs.path,
            methodHref: reproduction.method.path, unitsHref: reproduction.units.path, command: reproduction.command,
            jsonHref: "/api/v1/rankings/\(methodId)/\(period)?version=\(ranking.version)", superseded: superseded,
            latestHref: latestHref)
        let model = RankingModel(
            try await table(ranking.method, ranking.result, page), digest: ranking.inputDigest, published: published)
        return page.html(.ranking, title: "\(name(of: ranking.method, page.language)), \(period)", model: model)
    }

    /// A draft computed from the current data, with the form that publishes it.
    @Sendable func draft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let parameters = request.uri.queryParameters
        let previous = parameters.formValue("previous").flatMap { $0.isEmpty ? nil : $0 }
        let computed = try await service.draft(
            methodId: parameters.formValue("method") ?? "", period: parameters.formValue("period") ?? "",
            methodVersion: nil, previous: previous, authenticated.caller)
        return try await draftPage(PageRequest(request, context, pages), computed, previous: previous)
    }

    /// The draft page: the ranking, and the form that publishes it carrying what the analyst
    /// reviews (method version, digests of the inputs and of the method as applied). `changes`:
    /// how it differs from the draft the analyst was shown before, when publishing that was refused.
    func draftPage(
        _ page: PageRequest, _ computed: RankingComputer.Computed, previous: String?,
        changes: [ReviewedDraft.Change] = []
    ) async throws -> Response {
        let draft = RankingModel.Draft(
            previousInput: previous ?? "", methodDigest: PublishedRanking.digest(computed.method),
            changes: changes.map { text(of: $0, page) })
        let model = RankingModel(
            try await table(computed.method, computed.result, page), digest: computed.result.inputDigest ?? "",
            draft: draft)
        let title =
            "\(page.t("rankings_draftTitle")): \(name(of: computed.method, page.language)), \(computed.result.period)"
        return try page.page(.ranking, title: title, model: model, status: changes.isEmpty ? .ok : .conflict)
    }

    /// Two methods' drafts for the same period, unit by unit.
    @Sendable func compare(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let caller = try AuthenticatedContext(context: context).caller
        let parameters = request.uri.queryParameters
        let period = parameters.formValue("period") ?? ""
        let first = try await service.draft(
            methodId: parameters.formValue("a") ?? "", period: period, methodVersion: nil, previous: nil, caller)
        let second = try await service.draft(
            methodId: parameters.formValue("b") ?? "", period: period, methodVersion: nil, previous: nil, caller)
        let names = try await unitNames(first.method.unitKind)
        let other = Dictionary(uniqueKeysWithValues: second.result.units.map { ($0.unit, $0) })
        let rows = first.result.units.map { unit in
            let b = other[unit.unit]
            return RankingCompareModel.Row(
                code: unit.unit, name: names[unit.unit] ?? unit.unit, rankA: unit.rank.map(String.init) ?? "–",
                scoreA: Self.score(unit.score, page.language), rankB: b?.rank.map(String.init) ?? "–",
                scoreB: Self.score(b?.score, page.language),
                difference: unit.rank.flatMap { a in b?.rank.map { Self.signed($0 - a) } })
        }
        let model = RankingCompareModel(
            period: period, methodA: name(of: first.method, page.language),
            methodB: name(of: second.method, page.language), idA: first.method.id, idB: second.method.id, rows: rows,
            sameKind: first.method.unitKind == second.method.unitKind)
        return try page.page(.rankingCompare, title: "\(page.t("rankings_compareTitle")), \(period)", model: model)
    }

    /// Publishes the draft the analyst reviewed; if it changed since it was shown, nothing is
    /// published and the new draft is shown with what changed.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try AuthenticatedContext(context: context).caller
        var request = request
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        guard fields["confirmed"] == "yes" else {
            // The draft page asks the publisher to confirm, with a box the browser requires.
            throw AppError.badRequest(
                field: "confirmed", PageRequest(request, context, pages).t("rankings_publishUnconfirmed"))
        }
        let previous = fields["previous"].flatMap { $0.isEmpty ? nil : $0 }
        let publication = try await service.publish(
            methodId: fields["method"] ?? "", period: fields["period"] ?? "", previous: previous,
            reviewed: {
                ReviewedDraft(
                    methodVersion: try RankingParameters.version(fields["methodVersion"], field: "methodVersion"),
                    inputsDigest: try RankingParameters.digest(
                        fields["expectedInputsDigest"], field: "expectedInputsDigest"),
                    methodDigest: try RankingParameters.digest(
                        fields["expectedMethodDigest"], field: "expectedMethodDigest"))
            }, caller)
        switch publication {
        case .changed(let computed, let changes):
            return try await draftPage(
                PageRequest(request, context, pages), computed, previous: previous, changes: changes)
        case .published(let published):
            let location = "/rankings/\(published.methodId)/\(published.period)?version=\(published.version)"
            return Response(status: .seeOther, headers: [.location: location])
        }
    }

    func unitNames(_ kind: UnitKind) async throws -> [String: String] {
        let list = try await service.units.list(UnitQuery(kind: kind, includeInactive: true, limit: 1_000_000)).items
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
