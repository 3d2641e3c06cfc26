/// Every indicator with its latest national figure and trend (`indicators.mustache`).
struct IndicatorListModel: PageModel {
    let live = "*"
    let rows: [RowHTML]
}
