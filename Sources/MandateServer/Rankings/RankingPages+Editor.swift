import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `ranking-editor`: a ranking method as JSON, its weights normalised, and a preview of what it
/// would rank beside its current version's draft, before anything is saved.
struct RankingEditorModel: PageModel {
    struct Pillar: Sendable {
        let name: String
        let weight: String
        let share: String
        let components: [Component]
    }

    struct Component: Sendable {
        let code: String
        let source: String
        let weight: String
        let share: String
        let normalisation: String
    }

    struct Row: Sendable {
        let code: String
        let name: String
        let current: String
        let edited: String
        let difference: String?
    }

    let methodId: String
    let isNew: Bool
    let json: String
    let period: String
    let problems: [String]
    let hasProblems: Bool
    let notice: String?
    let pillars: [Pillar]
    let hasPillars: Bool
    /// The sum of the pillar weights as written (they are scaled to 1).
    let weightSum: String
    let rows: [Row]
    let hasPreview: Bool
    let downloadHref: String?
}

/// The committee's ranking method editor (`/rankings/methods/edit`): the method as JSON (the
/// API's document, `RankingMethod.decode` and its checks), its pillars and components with their
/// weights normalised, a preview of the ranking it gives for a period beside the current
/// version's, and saving it as the method's next version (`RankingService.saveMethod`).
extension RankingPages {
    func registerEditor(on router: Router<AppRequestContext>) {
        router.get("/rankings/methods/edit", use: editMethod)
        router.post("/rankings/methods/edit", use: previewOrSaveMethod)
    }

    func requireDefinesMethods(_ caller: ServiceCaller) async throws {
        guard let unit = caller.principal.membership?.unit,
            try await service.access.may(caller.principal, .defineRankingMethod, on: unit)
        else { throw AppError.forbidden("only committee roles may define ranking methods") }
    }

    @Sendable func editMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try AuthenticatedContext(context: context).caller
        try await requireDefinesMethods(caller)
        let parameters = request.uri.queryParameters
        let id = parameters.formValue("method") ?? ""
        var json = ""
        if !id.isEmpty {
            let method = try await service.method(id, version: nil)
            let encoder = JSONEncoder.api
            encoder.outputFormatting.insert(.prettyPrinted)
            json = String(decoding: try encoder.encode(method), as: UTF8.self)
        }
        let done =
            parameters.formValue("done") == "saved"
            ? PageRequest(request, context, pages).t("rankingEditor_saved") : nil
        return try await editorPage(
            request, context, id: id, json: json, period: parameters.formValue("period") ?? "", preview: nil,
            problems: [], notice: done, status: .ok)
    }

    @Sendable func previewOrSaveMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let caller = try AuthenticatedContext(context: context).caller
        try await requireDefinesMethods(caller)
        let fields = FormFields(body: try await request.collectBody(upTo: 1024 * 1024))
        let json = fields["json"] ?? ""
        let period = (fields["period"] ?? "").trimmingWhitespace()
        let id = fields["method"] ?? ""
        do {
            var method = try RankingMethod.decode(Data(json.utf8))
            let current = try await rankings.method(id: method.id, version: nil)
            if fields["action"] == "save" {
                method.version = (current?.version ?? 0) + 1
                try await service.saveMethod(method, caller)
                return Response(
                    status: .seeOther,
                    headers: [.location: "/rankings/methods/edit?method=\(method.id)&done=saved"])
            }
            var preview: (edited: RankingResult, current: RankingResult?)?
            if !period.isEmpty {
                let periodValue = try RankingParameters.period(period, field: "period")
                let edited = try await service.computer.compute(method, period: periodValue, previous: nil)
                var before: RankingResult?
                if let current {
                    before = try await service.computer.compute(current, period: periodValue, previous: nil).result
                }
                preview = (edited.result, before)
            }
            return try await editorPage(
                request, context, id: method.id, json: json, period: period, preview: preview, problems: [],
                notice: nil, status: .ok, method: method)
        } catch let failure as ValidationFailure {
            return try await editorPage(
                request, context, id: id, json: json, period: period, preview: nil,
                problems: failure.errors.map { $0.description(in: context.language) }, notice: nil,
                status: .unprocessableContent)
        } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
            return try await editorPage(
                request, context, id: id, json: json, period: period, preview: nil,
                problems: [error.detail ?? error.title] + error.errors.map(\.description), notice: nil,
                status: error.status)
        }
    }

    func editorPage(
        _ request: Request, _ context: AppRequestContext, id: String, json: String, period: String,
        preview: (edited: RankingResult, current: RankingResult?)?, problems: [String], notice: String?,
        status: HTTPResponse.Status, method: RankingMethod? = nil
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let shown = method ?? (try? RankingMethod.decode(Data(json.utf8)))
        let pillarSum = shown?.pillars.reduce(0) { $0 + $1.weight } ?? 0
        func share(_ weight: Double, of total: Double) -> String {
            total > 0 ? page.number(weight / total * 100) + " %" : "–"
        }
        let pillars = (shown?.pillars ?? []).map { pillar in
            let componentSum = pillar.components.reduce(0) { $0 + $1.weight }
            return RankingEditorModel.Pillar(
                name: page.language == .vi ? pillar.nameVi : pillar.nameEn, weight: page.number(pillar.weight),
                share: share(pillar.weight, of: pillarSum),
                components: pillar.components.map {
                    .init(
                        code: $0.code, source: $0.source.description, weight: page.number($0.weight),
                        share: share($0.weight, of: componentSum), normalisation: "\($0.normalisation)")
                })
        }
        var rows: [RankingEditorModel.Row] = []
        if let preview {
            let names = try await unitNames(shown?.unitKind ?? .province)
            let before = Dictionary(
                (preview.current?.units ?? []).map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
            rows = preview.edited.units.map { unit in
                let old = before[unit.unit]
                return .init(
                    code: unit.unit, name: names[unit.unit] ?? unit.unit, current: old?.rank.map(String.init) ?? "–",
                    edited: unit.rank.map(String.init) ?? "–",
                    difference: unit.rank.flatMap { new in old?.rank.map { Self.signed($0 - new) } })
            }
        }
        let model = RankingEditorModel(
            methodId: id, isNew: id.isEmpty, json: json, period: period, problems: problems,
            hasProblems: !problems.isEmpty, notice: notice, pillars: pillars, hasPillars: !pillars.isEmpty,
            weightSum: page.number(pillarSum), rows: rows, hasPreview: preview != nil,
            downloadHref: id.isEmpty ? nil : "/api/v1/ranking-methods/\(id)")
        return try page.page(.rankingEditor, title: page.t("rankingEditor_title"), model: model, status: status)
    }
}
