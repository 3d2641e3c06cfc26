import MandateCore
import Mustache

/// An indicator in a list (the overview's headlines, the indicator list, a unit's profile): its
/// name, its latest figure and the sparkline of its series.
struct TrendRow: Sendable, Hashable {
    let code: String
    let name: String
    /// The unit of measure.
    let unit: String
    let frequency: String
    let illustrative: Bool
    /// Empty when the series has fewer than two figures (nothing to draw).
    let sparkline: String
    /// The latest figure and its period; nil when the series is empty.
    let value: String?
    let period: String?
    /// The target the latest figure is held against, when one is set.
    var target: String?
    var onTrack: Bool?
    var targetState: String?
    /// Which periods of the series are re-based from the units the unit took over.
    var rebased: String?

    /// The row of `indicator` with its `series` (oldest first).
    init(_ indicator: Indicator, _ series: [IndicatorFigures.Figure], _ page: PageRequest) {
        code = indicator.code
        name = page.language == .vi ? indicator.nameVi : indicator.nameEn
        unit = indicator.unitOfMeasure
        frequency = page.t("frequency_\(indicator.frequency.rawValue)")
        illustrative = indicator.illustrative
        sparkline =
            Sparkline(
                values: series.map(\.value),
                label: series.map { "\($0.period.id): \(page.number($0.value))" }.joined(separator: "; ")
            ).svg
        value = series.last.map { page.number($0.value) }
        period = series.last?.period.id
    }
}

/// A page lists a hundred or more rows: the template reads their fields by name without `Mirror`,
/// which cost a third of the indicator list's render.
extension TrendRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "name": self.name
        case "unit": unit
        case "frequency": frequency
        case "illustrative": illustrative
        case "sparkline": sparkline
        case "value": value
        case "period": period
        case "target": target
        case "onTrack": onTrack
        case "targetState": targetState
        case "rebased": rebased
        default: nil
        }
    }
}
