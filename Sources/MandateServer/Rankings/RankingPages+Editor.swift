import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `ranking-editor`: a ranking method as form fields and as JSON, its weights normalised, and a
/// preview of what it would rank beside its current version's draft, before anything is saved.
struct RankingEditorModel: PageModel {
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One field of the form, named by its path in the method document (`editor-field` partial).
    struct Field: Sendable {
        let id: String
        let name: String
        let label: String
        let value: String
        /// What is wrong with it, in the page's language.
        let error: String?
        let options: [Option]
        let isChoice: Bool
        /// `decimal` or `numeric` for a number, so that a phone shows its number keys.
        let inputMode: String?
        /// The datalist offered (`editor-sources`).
        let list: String?
        let readOnly: Bool
    }

    struct ComponentForm: Sendable {
        let legend: String
        let fields: [Field]
        /// Its weight's share of its pillar, in per cent (named apart from the pillar's, which a
        /// template would otherwise find in its place when this one is nil).
        let componentShare: String?
        let removeName: String
        let removeId: String
        let isNew: Bool
    }

    struct PillarForm: Sendable {
        let legend: String
        let fields: [Field]
        /// Its weight's share of the method, in per cent.
        let pillarShare: String?
        let removeName: String
        let removeId: String
        let isNew: Bool
        let components: [ComponentForm]
    }

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
        let currentScore: String
        let editedScore: String
    }

    let methodId: String
    let isNew: Bool
    let json: String
    let period: String
    let problems: [String]
    let hasProblems: Bool
    let notice: String?
    let methodFields: [Field]
    let uncertaintyFields: [Field]
    let pillarForms: [PillarForm]
    /// Indicator codes and delivery measures, offered as a component's source.
    let sources: [String]
    let pillars: [Pillar]
    let hasPillars: Bool
    /// The sum of the pillar weights as written (they are scaled to 1).
    let weightSum: String
    let rows: [Row]
    let hasPreview: Bool
    let downloadHref: String?
}

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
            if fields["mode"] == "form" {
                state.form = RankingMethodForm { fields[$0] }
                let current = try await rankings.method(id: state.form.id, version: nil)
                state.json = try current.map(Self.json) ?? ""
                method = try state.form.method(version: (current?.version ?? 0) + 1, language)
            } else {
                if let upload { state.json = String(decoding: upload, as: UTF8.self) }
                if let current = try await rankings.method(id: state.id, version: nil) {
                    state.form = RankingMethodForm(current, language)
                }
                method = try RankingMethod.decode(Data(state.json.utf8))
                state.form = RankingMethodForm(method, language)
            }
            let current = try await rankings.method(id: method.id, version: nil)
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
            sources: indicators + RankingSource.DeliveryMeasure.allCases.map { RankingSource.delivery($0).key },
            pillars: pillars, hasPillars: !pillars.isEmpty, weightSum: page.number(pillarSum), rows: rows,
            hasPreview: preview != nil, downloadHref: state.id.isEmpty ? nil : "/api/v1/ranking-methods/\(state.id)")
        return try page.page(.rankingEditor, title: page.t("rankingEditor_title"), model: model, status: status)
    }
}

/// The editor's fields as the page shows them: labelled in the page's language, each with the
/// problems found at its path.
struct RankingEditorFields {
    typealias Field = RankingEditorModel.Field
    let page: PageRequest
    let problems: [RowError]
    /// The method the fields made, if they made one: the shares of its weights.
    let method: RankingMethod?

    /// The problems at `name` or below it (`…normalisation` takes `…normalisation.min`).
    func error(_ name: String, below: Bool = false) -> String? {
        let found = problems.filter { problem in
            guard let column = problem.column else { return false }
            return column == name || below && (column.hasPrefix(name + ".") || column.hasPrefix(name + "["))
        }
        return found.isEmpty ? nil : found.map { $0.reason(in: page.language) }.joined(separator: "; ")
    }

    func id(_ name: String) -> String {
        "m-" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    func text(
        _ name: String, _ label: String, _ value: String, inputMode: String? = nil, list: String? = nil,
        readOnly: Bool = false, below: Bool = false
    ) -> Field {
        Field(
            id: id(name), name: name, label: page.t(label), value: value, error: error(name, below: below), options: [],
            isChoice: false, inputMode: inputMode, list: list, readOnly: readOnly)
    }

    func choice<T: ListedValues>(
        _ name: String, _ label: String, _ value: String, _ type: T.Type, prefix: String
    )
        -> Field
    {
        Field(
            id: id(name), name: name, label: page.t(label), value: value, error: error(name),
            options: T.allCases.map {
                .init(value: $0.rawValue, label: page.t("\(prefix)_\($0.rawValue)"), selected: $0.rawValue == value)
            }, isChoice: true, inputMode: nil, list: nil, readOnly: false)
    }

    func method(_ form: RankingMethodForm, isNew: Bool) -> [Field] {
        let kinds = UnitKind.allCases.filter { $0 != .committee }
        let unitKind = Field(
            id: id("unitKind"), name: "unitKind", label: page.t("rankingEditor_unitKind"), value: form.unitKind,
            error: error("unitKind"),
            options: kinds.map {
                .init(value: $0.rawValue, label: page.t("kind_\($0.rawValue)"), selected: $0.rawValue == form.unitKind)
            }, isChoice: true, inputMode: nil, list: nil, readOnly: false)
        return [
            text("id", "programme_code", form.id, readOnly: !isNew),
            text("nameVi", "programme_nameVi", form.nameVi), text("nameEn", "programme_nameEn", form.nameEn), unitKind,
            choice(
                "aggregation", "rankingEditor_aggregation", form.aggregation, Aggregation.self, prefix: "aggregation"),
            choice(
                "missingData", "rankingEditor_missingData", form.missingData, MissingDataPolicy.self,
                prefix: "missingData"),
        ]
    }

    func uncertainty(_ form: RankingMethodForm) -> [Field] {
        [
            text("uncertainty.draws", "rankingEditor_draws", form.draws, inputMode: "numeric"),
            text("uncertainty.seed", "rankingEditor_seed", form.seed, inputMode: "numeric"),
            text("uncertainty.weightSpread", "rankingEditor_weightSpread", form.weightSpread, inputMode: "decimal"),
        ]
    }

    /// The pillars, each with its components and a blank one, and a blank pillar.
    func pillars(_ form: RankingMethodForm) -> [RankingEditorModel.PillarForm] {
        let pillarSum = method?.pillars.reduce(0) { $0 + $1.weight } ?? 0
        func share(_ weight: Double?, _ total: Double) -> String? {
            guard let weight, total > 0 else { return nil }
            return page.number(weight / total * 100) + " %"
        }
        let blank = RankingMethodForm.Pillar(components: [])
        return (form.pillars + [blank]).enumerated().map { p, pillar in
            let at = "pillars[\(p)]"
            let made = method.flatMap { p < $0.pillars.count ? $0.pillars[p] : nil }
            let componentSum = made?.components.reduce(0) { $0 + $1.weight } ?? 0
            let components = (pillar.components + [RankingMethodForm.Component()]).enumerated().map { c, component in
                let at = at + ".components[\(c)]"
                let isNew = c == pillar.components.count
                let weight = made.flatMap { c < $0.components.count ? $0.components[c].weight : nil }
                return RankingEditorModel.ComponentForm(
                    legend: isNew ? page.t("rankingEditor_newComponent") : component.code,
                    fields: [
                        text(at + ".code", "rankingEditor_componentCode", component.code),
                        text(at + ".source", "rankingEditor_source", component.source, list: "editor-sources"),
                        text(at + ".weight", "rankingEditor_weight", component.weight, inputMode: "decimal"),
                        choice(
                            at + ".direction", "indicatorForm_direction", component.direction, Direction.self,
                            prefix: "indicatorForm_direction"),
                        choice(
                            at + ".normalisation", "rankingEditor_normalisation", component.normalisation,
                            Normalisation.Method.self, prefix: "normalisation"),
                        text(
                            at + ".normalisation.target", "rankingEditor_target", component.target,
                            inputMode: "decimal"),
                        text(at + ".normalisation.min", "rankingEditor_min", component.min, inputMode: "decimal"),
                        text(at + ".normalisation.max", "rankingEditor_max", component.max, inputMode: "decimal"),
                        text(at + ".alternatives", "rankingEditor_alternatives", component.alternatives, below: true),
                    ], componentShare: isNew ? nil : share(weight, componentSum), removeName: at + ".remove",
                    removeId: id(at + ".remove"), isNew: isNew)
            }
            let isNew = p == form.pillars.count
            return RankingEditorModel.PillarForm(
                legend: isNew
                    ? page.t("rankingEditor_newPillar") : (page.language == .vi ? pillar.nameVi : pillar.nameEn),
                fields: [
                    text(at + ".code", "rankingEditor_pillarCode", pillar.code),
                    text(at + ".nameVi", "programme_nameVi", pillar.nameVi),
                    text(at + ".nameEn", "programme_nameEn", pillar.nameEn),
                    text(at + ".weight", "rankingEditor_weight", pillar.weight, inputMode: "decimal"),
                ], pillarShare: isNew ? nil : share(made?.weight, pillarSum), removeName: at + ".remove",
                removeId: id(at + ".remove"), isNew: isNew, components: components)
        }
    }
}
