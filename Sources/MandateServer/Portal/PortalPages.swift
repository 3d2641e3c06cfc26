import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The public portal: the national overview, the indicator pages and the methodology, readable by
/// anyone without signing in, in Vietnamese and English, and live where they show facts.
struct PortalPages {
    let store: Store
    let service: TaskService
    let pages: PageRenderer
    let board: SeriesBoard
    /// The parts of pages that few commits change.
    let parts: KeptParts

    var figures: IndicatorFigures { IndicatorFigures(values: store.values, indicators: store.indicators) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/", use: overview)
        router.get("/indicators", use: indicators)
        router.get("/indicators/{code}", use: indicator)
        router.get("/methodology", use: methodology)
    }

    /// The unit at the top of the tree: national figures are its figures.
    func nationalUnit() async throws -> String { try await store.units.root() ?? "" }

    /// The series of `unit` of each of `list`, with their rows, as the board keeps them.
    func trends(
        of unit: String, _ list: [Indicator], _ page: PageRequest
    ) async throws -> [(
        series: SeriesBoard.Series, row: TrendRow
    )] {
        let units = store.units
        return try await board.rows(of: unit, list, page: page, figures: figures) {
            try await units.predecessors(of: unit).map(\.predecessorCode)
        }
    }

    /// An indicator's figures for one unit, oldest first.
    func series(_ indicator: Indicator, of unit: String) async throws -> [IndicatorFigures.Figure] {
        try await figures.figures(indicator, units: [unit])[unit] ?? []
    }

    @Sendable func indicators(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let national = try await nationalUnit()
        let list = try await store.indicators.list()
        let rows = try await trends(of: national, list, page).map { page.row(.indicator, $0.row) }
        return try page.page(
            .indicators, title: page.t("indicators_title"),
            model: IndicatorListModel(rows: rows, canDefine: try await definesIndicators(page)),
            scripts: [.live]
        ).depending(on: [.unit(national)])
    }

    /// Whether the reader defines indicators (`IndicatorFormPages`): the indicator pages link the form.
    func definesIndicators(_ page: PageRequest) async throws -> Bool {
        try await service.access.definesIndicators(page.identity?.principal)
    }

    @Sendable func methodology(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let methods = try await store.rankings.methods().map { method in
            MethodologyModel.Method(
                id: method.id, version: method.version, name: page.language == .vi ? method.nameVi : method.nameEn,
                kind: page.t("kind_\(method.unitKind.rawValue)"), href: "/api/v1/ranking-methods/\(method.id)")
        }
        return try page.page(
            .methodology, title: page.t("methodology_title"), model: MethodologyModel(methods: methods)
        ).depending(on: [.rankings])
    }
}
