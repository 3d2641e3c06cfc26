import Foundation

/// A word-sized line of a series, with its last value marked.
struct Sparkline {
    let values: [Double]
    /// The text alternative, e.g. "2023: 1.2; 2024: 1.8".
    let label: String

    static let width = 96.0
    static let height = 24.0

    var svg: String {
        guard values.count > 1 else { return "" }
        let (low, high) = (values.min() ?? 0, values.max() ?? 1)
        let span = high > low ? high - low : 1
        func x(_ offset: Int) -> Double { 2 + Double(offset) / Double(values.count - 1) * (Self.width - 4) }
        func y(_ value: Double) -> Double { 2 + (1 - (value - low) / span) * (Self.height - 4) }
        let points = values.enumerated().map { "\(SVG.number(x($0.offset))),\(SVG.number(y($0.element)))" }
        return """
            <svg class="sparkline" viewBox="0 0 \(SVG.number(Self.width)) \(SVG.number(Self.height))" width="96" height="24" \
            role="img" aria-label="\(SVG.escape(label))" xmlns="http://www.w3.org/2000/svg"><polyline points="\(points.joined(separator: " "))"/>\
            <circle cx="\(SVG.number(x(values.count - 1)))" cy="\(SVG.number(y(values[values.count - 1])))" r="2.5"/></svg>
            """
    }
}
