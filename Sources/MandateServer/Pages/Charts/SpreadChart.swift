import Foundation
import MandateCore

/// The spread of one period's values across units: a dot per unit along one axis, the median
/// marked, the target too when there is one, and the highlighted unit drawn apart.
struct SpreadChart {
    struct Dot {
        let name: String
        let href: String?
        let value: Double
    }

    let id: String
    let title: String
    let unit: String
    let dots: [Dot]
    let target: Double?
    let highlight: String?
    let medianWord: String
    let targetWord: String
    /// The page's language, for the numbers written on the chart.
    let language: Language

    static let width = 640.0
    static let height = 120.0

    var median: Double? {
        let sorted = dots.map(\.value).sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var description: String {
        let sorted = dots.sorted { $0.value < $1.value }
        guard let lowest = sorted.first, let highest = sorted.last, let median else { return "–" }
        var text =
            "\(dots.count): \(lowest.name) \(SVG.label(lowest.value, decimals: 2, language)) … \(highest.name) \(SVG.label(highest.value, decimals: 2, language)) \(unit); \(medianWord) \(SVG.label(median, decimals: 2, language))"
        if let target { text += "; \(targetWord) \(SVG.label(target, decimals: 2, language))" }
        return text + "."
    }

    var svg: String {
        let left = 24.0
        let right = Self.width - 24
        let axisY = 84.0
        let (low, high) = SVG.domain(dots.map(\.value) + (target.map { [$0] } ?? []))
        func x(_ value: Double) -> Double { left + (value - low) / (high - low) * (right - left) }
        var out = SVG.open(
            id: id, width: Self.width, height: Self.height, title: title, description: description, kind: "spread")
        out +=
            "<line class=\"axis-line\" x1=\"\(SVG.number(left))\" x2=\"\(SVG.number(right))\" y1=\"\(SVG.number(axisY))\" y2=\"\(SVG.number(axisY))\"/>"
        for tick in SVG.ticks(low, high, count: 5) {
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(x(tick)))\" y=\"\(SVG.number(axisY + 18))\" text-anchor=\"middle\">\(SVG.label(tick, decimals: 2, language))</text>"
        }
        if let median {
            out +=
                "<line class=\"median\" x1=\"\(SVG.number(x(median)))\" x2=\"\(SVG.number(x(median)))\" y1=\"20\" y2=\"\(SVG.number(axisY))\"><title>\(SVG.escape("\(medianWord) \(SVG.label(median, decimals: 2, language))"))</title></line>"
        }
        if let target {
            out +=
                "<line class=\"target\" x1=\"\(SVG.number(x(target)))\" x2=\"\(SVG.number(x(target)))\" y1=\"12\" y2=\"\(SVG.number(axisY))\"><title>\(SVG.escape("\(targetWord) \(SVG.label(target, decimals: 2, language))"))</title></line>"
        }
        // Dots jitter vertically by their order so that equal values stay visible.
        for (offset, dot) in dots.enumerated() {
            let highlighted = dot.name == highlight
            let cy = highlighted ? 52.0 : 36 + Double(offset % 5) * 8
            let circle =
                "<circle class=\"\(highlighted ? "dot highlight" : "dot")\" cx=\"\(SVG.number(x(dot.value)))\" cy=\"\(SVG.number(cy))\" r=\"\(highlighted ? 6 : 4)\"><title>\(SVG.escape("\(dot.name): \(SVG.label(dot.value, decimals: 2, language)) \(unit)"))</title></circle>"
            out += dot.href.map { "<a href=\"\(SVG.escape($0))\">\(circle)</a>" } ?? circle
        }
        return out + "</svg>"
    }
}
