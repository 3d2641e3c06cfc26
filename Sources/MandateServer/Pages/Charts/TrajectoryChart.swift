import Foundation
import MandateCore

/// An indicator's values over its periods against the target trajectory: the line of reported
/// values, and the dashed line through the yearly targets.
struct TrajectoryChart {
    struct Point {
        /// The period as shown, e.g. "2025-Q3".
        let label: String
        /// Where it falls on the time axis (e.g. a fractional year), so periods and targets line up.
        let position: Double
        let value: Double
    }

    let id: String
    let title: String
    let unit: String
    let values: [Point]
    let targets: [Point]
    /// "Value" / "Target" in the page's language, for the legend and the description.
    let valueWord: String
    let targetWord: String
    /// The page's language, for the numbers written on the chart.
    let language: Language

    static let width = 640.0
    static let height = 260.0
    static let margin = (left: 56.0, right: 16.0, top: 16.0, bottom: 40.0)

    var description: String {
        let shown = values.map { "\($0.label): \(SVG.label($0.value, decimals: 2, language)) \(unit)" }
        let aimed = targets.map { "\($0.label): \(SVG.label($0.value, decimals: 2, language)) \(unit)" }
        return "\(valueWord): " + (shown.isEmpty ? "–" : shown.joined(separator: "; ")) + ". \(targetWord): "
            + (aimed.isEmpty ? "–" : aimed.joined(separator: "; ")) + "."
    }

    var svg: String {
        let m = Self.margin
        let plotWidth = Self.width - m.left - m.right
        let plotHeight = Self.height - m.top - m.bottom
        let all = values + targets
        let (low, high) = SVG.domain(all.map(\.value))
        let first = all.map(\.position).min() ?? 0
        let last = max(all.map(\.position).max() ?? 1, first + 1)
        func x(_ position: Double) -> Double { m.left + (position - first) / (last - first) * plotWidth }
        func y(_ value: Double) -> Double { m.top + (1 - (value - low) / (high - low)) * plotHeight }
        var out = SVG.open(
            id: id, width: Self.width, height: Self.height, title: title, description: description, kind: "trajectory")
        for tick in SVG.ticks(low, high) {
            let ty = SVG.number(y(tick))
            out +=
                "<line class=\"grid\" x1=\"\(SVG.number(m.left))\" x2=\"\(SVG.number(Self.width - m.right))\" y1=\"\(ty)\" y2=\"\(ty)\"/>"
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(m.left - 6))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVG.label(tick, decimals: 2, language))</text>"
        }
        // Label at most about five periods along the axis, so that labels stay apart on a phone.
        let labelled = values.isEmpty ? targets : values
        let every = max(1, Int((Double(labelled.count) / 5).rounded(.up)))
        for (offset, point) in labelled.enumerated() where offset % every == 0 || offset == labelled.count - 1 {
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(x(point.position)))\" y=\"\(SVG.number(Self.height - 12))\" text-anchor=\"middle\">\(SVG.escape(point.label))</text>"
        }
        if targets.count > 1 {
            let points = targets.map { "\(SVG.number(x($0.position))),\(SVG.number(y($0.value)))" }
            out += "<polyline class=\"target\" points=\"\(points.joined(separator: " "))\"/>"
        }
        for target in targets {
            out +=
                "<circle class=\"target-point\" cx=\"\(SVG.number(x(target.position)))\" cy=\"\(SVG.number(y(target.value)))\" r=\"3.5\"><title>\(SVG.escape("\(targetWord) \(target.label): \(SVG.label(target.value, decimals: 2, language)) \(unit)"))</title></circle>"
        }
        if values.count > 1 {
            let points = values.map { "\(SVG.number(x($0.position))),\(SVG.number(y($0.value)))" }
            out += "<polyline class=\"series\" points=\"\(points.joined(separator: " "))\"/>"
        }
        for value in values {
            out +=
                "<circle class=\"series-point\" cx=\"\(SVG.number(x(value.position)))\" cy=\"\(SVG.number(y(value.value)))\" r=\"3\"><title>\(SVG.escape("\(value.label): \(SVG.label(value.value, decimals: 2, language)) \(unit)"))</title></circle>"
        }
        // Legend.
        let legendY = SVG.number(m.top - 4)
        out +=
            "<g class=\"legend\"><line class=\"series\" x1=\"\(SVG.number(m.left + 4))\" x2=\"\(SVG.number(m.left + 24))\" y1=\"\(legendY)\" y2=\"\(legendY)\"/><text x=\"\(SVG.number(m.left + 28))\" y=\"\(legendY)\" dominant-baseline=\"middle\">\(SVG.escape(valueWord))</text>"
        out +=
            "<line class=\"target\" x1=\"\(SVG.number(m.left + 120))\" x2=\"\(SVG.number(m.left + 140))\" y1=\"\(legendY)\" y2=\"\(legendY)\"/><text x=\"\(SVG.number(m.left + 144))\" y=\"\(legendY)\" dominant-baseline=\"middle\">\(SVG.escape(targetWord))</text></g>"
        return out + "</svg>"
    }
}
