import MandateCore

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
            text("pseudoRatings", "rankingEditor_pseudoRatings", form.pseudoRatings, inputMode: "numeric"),
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
