/// Every indicator with its latest national figure and trend (`indicators.mustache`).
struct IndicatorListModel: PageModel {
    let live = "*"
    let rows: [RowHTML]
    /// Whether the reader defines indicators (`/indicators/new`).
    let canDefine: Bool
}
