import Foundation
import Hummingbird
import MandateCore
import MandateStore

extension PortalPages {
    @Sendable func indicator(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let code = try context.parameters.require("code")
        guard let indicator = try await store.indicators.get(code: code) else {
            throw AppError.notFound("no indicator has code \"\(code)\"")
        }
        let name = page.language == .vi ? indicator.nameVi : indicator.nameEn
        let national = try await series(indicator, of: try await nationalUnit())
        let provinces = try await store.units.list(UnitQuery(kind: .province, limit: 100)).items
        let byProvince = try await figures.figures(indicator, units: provinces.map(\.code))
        // The spread is drawn for the latest period any province has a figure for.
        let latest = byProvince.values.compactMap { $0.last?.period }.max()
        let names = Dictionary(uniqueKeysWithValues: provinces.map { ($0.code, $0.shortName) })
        let spread: [(code: String, name: String, value: Double)] =
            latest.map { period in
                byProvince.compactMap { unit, figures in
                    figures.first { $0.period == period }.map { (unit, names[unit] ?? unit, $0.value) }
                }.sorted { $0.value > $1.value }
            } ?? []
        let targetWord = page.t("chart_target")
        let trajectory = IndicatorFigures.trajectory(
            indicator, figures: national, id: "trajectory-\(indicator.code)",
            title: "\(name): \(page.t("indicator_trajectory"))", valueWord: page.t("chart_value"),
            targetWord: targetWord, language: page.language)
        var spreadChart: String?
        if let latest, !spread.isEmpty {
            spreadChart =
                SpreadChart(
                    id: "spread-\(indicator.code)", title: "\(name): \(page.t("indicator_spread")) \(latest.id)",
                    unit: indicator.unitOfMeasure,
                    dots: spread.map { .init(name: $0.name, href: "/units/\($0.code)", value: $0.value) },
                    target: indicator.target(for: latest.year), highlight: nil,
                    medianWord: page.t("chart_median"), targetWord: targetWord, language: page.language
                ).svg
        }
        let model = IndicatorPageModel(
            live: "indicator:\(indicator.code)",
            indicator: .init(
                code: indicator.code, name: name, unit: indicator.unitOfMeasure,
                frequency: page.t("frequency_\(indicator.frequency.rawValue)"),
                direction: page.t("direction_\(indicator.direction.rawValue)"),
                rollup: indicator.rollup.method.rawValue,
                illustrative: indicator.illustrative),
            targets: indicator.targets.map { .init(year: $0.year, value: page.number($0.value)) },
            hasTargets: !indicator.targets.isEmpty,
            trajectory: !national.isEmpty || !indicator.targets.isEmpty ? trajectory.svg : nil,
            national: national.reversed().map { figure in
                .init(
                    period: figure.period.id, value: page.number(figure.value),
                    target: indicator.target(for: figure.period.year).map { page.number($0) })
            },
            hasNational: !national.isEmpty,
            spread: spreadChart, spreadPeriod: spreadChart == nil ? nil : latest?.id,
            provinces: spreadChart == nil
                ? [] : spread.map { .init(code: $0.code, name: $0.name, value: page.number($0.value)) },
            csvHref: "/api/v1/dataValues?indicator=\(indicator.code)&format=csv",
            jsonHref: "/api/v1/dataValues?indicator=\(indicator.code)",
            editHref: try await definesIndicators(page) ? "/indicators/\(indicator.code)/edit" : nil)
        return try page.page(.indicator, title: name, model: model, scripts: [.live])
            .depending(on: [.indicator(indicator.code)])
    }
}
