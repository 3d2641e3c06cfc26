import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The committee's ranking method editor (`/rankings/methods/edit`): the method as form fields
/// (`RankingMethodForm`) or as JSON typed or uploaded (the API's document, `RankingMethod.decode`),
/// both checked by `RankingMethod.problems()` with each problem beside its field; its weights
/// normalised; a preview of the ranking it gives for a period beside the current version's; and
/// saving it as the method's next version (`RankingService.saveMethod`).
extension RankingPages {
    func registerEditor(on router: Router<AppRequestContext>) {
        router.get("/rankings/methods/edit", use: editMethod)
        router.post("/rankings/methods/edit", use: previewOrSaveMethod)
    }

    /// The largest method document or form read.
    static let maximumMethodBody = 1024 * 1024

    func requireDefinesMethods(_ caller: ServiceCaller) async throws {
        guard let unit = caller.principal.membership?.unit,
            try await service.access.may(caller.principal, .defineRankingMethod, on: unit)
        else { throw AppError.forbidden("only committee roles may define ranking methods") }
    }

    /// What the editor shows: the method's fields, its JSON, and what was found wrong.
    struct EditorState {
        var id: String
        var form: RankingMethodForm
        var json: String
        var period: String
        var problems: [RowError] = []
        var method: RankingMethod?
    }

    @Sendable func editMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try AuthenticatedContext(context: context).caller
        try await requireDefinesMethods(caller)
        let parameters = request.uri.queryParameters
        let id = parameters.formValue("method") ?? ""
        var state = EditorState(
            id: id, form: RankingMethodForm(), json: "", period: parameters.formValue("period") ?? "")
        if !id.isEmpty {
            let method = try await service.method(id, version: nil)
            state.form = RankingMethodForm(method, context.language)
            state.json = try Self.json(method)
            state.method = method
        } else {
            state.form.draws = String(RankingMethod.Uncertainty.defaultDraws)
            state.form.seed = String(RankingMethod.Uncertainty.defaultSeed)
            state.form.weightSpread = WrittenNumber.written(
                RankingMethod.Uncertainty.defaultWeightSpread, context.language)
        }
        let done =
            parameters.formValue("done") == "saved"
            ? PageRequest(request, context, pages).t("rankingEditor_saved") : nil
        return try await editorPage(request, context, state, preview: nil, notice: done, status: .ok)
    }

    /// The fields of a posted editor form: URL-encoded (the fields) or multipart (the JSON
    /// form, which may carry a file).
    func editorFields(_ request: inout Request) async throws -> (fields: [String: String], upload: Data?) {
        let body = try await request.collectBody(upTo: Self.maximumMethodBody)
        if let boundary = MultipartForm.boundary(of: request.headers[.contentType]) {
            guard let form = MultipartForm(body: body, boundary: boundary) else {
                throw AppError.badRequest(field: "file", "the form is not well-formed multipart/form-data")
            }
            let file = form.files.first { $0.name == "file" && !$0.content.isEmpty }
            return (form.fields, file?.content)
        }
        return (FormFields(body: body).all, nil)
    }

    @Sendable func previewOrSaveMethod(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let caller = try AuthenticatedContext(context: context).caller
        try await requireDefinesMethods(caller)
        let (fields, upload) = try await editorFields(&request)
        let language = context.language
        var state = EditorState(
            id: fields["method"] ?? "", form: RankingMethodForm(), json: fields["json"] ?? "",
            period: (fields["period"] ?? "").trimmingWhitespace())
        do {
            var method: RankingMethod
            // The stored version of the method the request names, read once: what a refused
            // request shows beside its problems, and what the edited method follows.
            var current: RankingMethod?
            if fields["mode"] == "form" {
                state.form = RankingMethodForm { fields[$0] }
                current = try await rankings.method(id: state.form.id, version: nil)
                state.json = try current.map(Self.json) ?? ""
                method = try state.form.method(version: (current?.version ?? 0) + 1, language)
            } else {
                if let upload { state.json = String(decoding: upload, as: UTF8.self) }
                current = try await rankings.method(id: state.id, version: nil)
                if let current { state.form = RankingMethodForm(current, language) }
                method = try RankingMethod.decode(Data(state.json.utf8))
                state.form = RankingMethodForm(method, language)
            }
            if current?.id != method.id { current = try await rankings.method(id: method.id, version: nil) }
            method.version = (current?.version ?? 0) + 1
            state.id = method.id
            state.json = try Self.json(method)
            state.method = method
            if fields["action"] == "save" {
                try await service.saveMethod(method, caller)
                return Response(
                    status: .seeOther,
                    headers: [.location: "/rankings/methods/edit?method=\(method.id)&done=saved"])
            }
            var preview: (edited: RankingResult, current: RankingResult?)?
            if !state.period.isEmpty {
                let period = try RankingParameters.period(state.period, field: "period")
                let edited = try await service.computer.compute(method, period: period, previous: nil)
                var before: RankingResult?
                if let current {
                    before = try await service.computer.compute(current, period: period, previous: nil).result
                }
                preview = (edited.result, before)
            }
            return try await editorPage(request, context, state, preview: preview, notice: nil, status: .ok)
        } catch let failure as ValidationFailure {
            state.problems = failure.errors
            return try await editorPage(
                request, context, state, preview: nil, notice: nil, status: .unprocessableContent)
        } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
            state.problems =
                [RowError(line: nil, column: nil, reason: error.detail ?? error.title)] + error.errors
            return try await editorPage(request, context, state, preview: nil, notice: nil, status: error.status)
        }
    }

    static func json(_ method: RankingMethod) throws -> String {
        let encoder = JSONEncoder.api
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(method), as: UTF8.self)
    }

    func editorPage(
        _ request: Request, _ context: AppRequestContext, _ state: EditorState,
        preview: (edited: RankingResult, current: RankingResult?)?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let shown = state.method
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
                        share: share($0.weight, of: componentSum),
                        normalisation: RankingMethodForm.written($0.normalisation, page.language))
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
                    difference: unit.rank.flatMap { new in old?.rank.map { Self.signed($0 - new) } },
                    currentScore: old?.score.map(page.number) ?? "–", editedScore: unit.score.map(page.number) ?? "–")
            }
        }
        let indicators = try await service.computer.indicators.list().map(\.code)
        let fields = RankingEditorFields(page: page, problems: state.problems, method: shown)
        let model = RankingEditorModel(
            methodId: state.id, isNew: state.id.isEmpty, json: state.json, period: state.period,
            problems: state.problems.map { $0.description(in: page.language) }, hasProblems: !state.problems.isEmpty,
            notice: notice, methodFields: fields.method(state.form, isNew: state.id.isEmpty),
            uncertaintyFields: fields.uncertainty(state.form), pillarForms: fields.pillars(state.form),
            sources: indicators + RankingSource.DeliveryMeasure.allCases.map { RankingSource.delivery($0).key }
                + RankingSource.satisfactionMeasures.map { RankingSource.satisfaction($0).key },
            pillars: pillars, hasPillars: !pillars.isEmpty, weightSum: page.number(pillarSum), rows: rows,
            hasPreview: preview != nil, downloadHref: state.id.isEmpty ? nil : "/api/v1/ranking-methods/\(state.id)")
        return try page.page(.rankingEditor, title: page.t("rankingEditor_title"), model: model, status: status)
    }
}
