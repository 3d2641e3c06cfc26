import Foundation

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

    static let width = 640.0
    static let height = 260.0
    static let margin = (left: 56.0, right: 16.0, top: 16.0, bottom: 40.0)

    var description: String {
        let shown = values.map { "\($0.label): \(SVG.label($0.value, decimals: 2)) \(unit)" }
        let aimed = targets.map { "\($0.label): \(SVG.label($0.value, decimals: 2)) \(unit)" }
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
                "<text class=\"axis\" x=\"\(SVG.number(m.left - 6))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVG.label(tick, decimals: 2))</text>"
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
                "<circle class=\"target-point\" cx=\"\(SVG.number(x(target.position)))\" cy=\"\(SVG.number(y(target.value)))\" r=\"3.5\"><title>\(SVG.escape("\(targetWord) \(target.label): \(SVG.label(target.value, decimals: 2)) \(unit)"))</title></circle>"
        }
        if values.count > 1 {
            let points = values.map { "\(SVG.number(x($0.position))),\(SVG.number(y($0.value)))" }
            out += "<polyline class=\"series\" points=\"\(points.joined(separator: " "))\"/>"
        }
        for value in values {
            out +=
                "<circle class=\"series-point\" cx=\"\(SVG.number(x(value.position)))\" cy=\"\(SVG.number(y(value.value)))\" r=\"3\"><title>\(SVG.escape("\(value.label): \(SVG.label(value.value, decimals: 2)) \(unit)"))</title></circle>"
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

/// Ranks with their uncertainty: for each unit a dot at its rank and a whisker across the interval
/// of ranks it takes when the method is perturbed, beside a bar of its score.
struct RankChart {
    struct Row {
        let name: String
        let href: String?
        let rank: Int
        let low: Int?
        let high: Int?
        let score: Double
    }

    let id: String
    let title: String
    let rows: [Row]
    /// How many units were ranked: the rank axis runs from 1 to it.
    let count: Int
    let rankWord: String
    let scoreWord: String
    let intervalWord: String

    static let width = 640.0
    static let rowHeight = 22.0
    static let nameWidth = 180.0
    static let scoreWidth = 170.0
    /// The most characters of a name drawn: on a phone, where the chart is shown at about half
    /// size with larger text, more would run off the left edge. A longer name ends in "…" and
    /// shows whole on hover (its title), in the chart's description and in the table.
    static let nameCharacters = 17

    /// `name`, cut to `nameCharacters` with an ellipsis where it is longer.
    static func label(_ name: String) -> String {
        name.count <= nameCharacters ? name : String(name.prefix(nameCharacters - 1)) + "…"
    }

    var description: String {
        rows.map { row in
            var text = "\(row.name): \(rankWord) \(row.rank), \(scoreWord) \(SVG.label(row.score))"
            if let low = row.low, let high = row.high { text += ", \(intervalWord) \(low)–\(high)" }
            return text
        }.joined(separator: "; ") + "."
    }

    var svg: String {
        let top = 24.0
        let height = top + Double(rows.count) * Self.rowHeight + 8
        let rankLeft = Self.nameWidth + Self.scoreWidth + 24
        let rankWidth = Self.width - rankLeft - 12
        let last = Double(max(count, 2))
        func rx(_ rank: Double) -> Double { rankLeft + (rank - 1) / (last - 1) * rankWidth }
        func bx(_ score: Double) -> Double { Self.nameWidth + max(0, min(100, score)) / 100 * Self.scoreWidth }
        var out = SVG.open(
            id: id, width: Self.width, height: height, title: title, description: description, kind: "rank")
        out += "<text class=\"axis\" x=\"\(SVG.number(Self.nameWidth))\" y=\"14\">\(SVG.escape(scoreWord)) 0–100</text>"
        out += "<text class=\"axis\" x=\"\(SVG.number(rankLeft))\" y=\"14\">\(SVG.escape(rankWord)) 1</text>"
        out +=
            "<text class=\"axis\" x=\"\(SVG.number(rankLeft + rankWidth))\" y=\"14\" text-anchor=\"end\">\(Int(last))</text>"
        for (offset, row) in rows.enumerated() {
            let y = top + Double(offset) * Self.rowHeight
            let mid = SVG.number(y + Self.rowHeight / 2)
            var line = "<g class=\"rank-row\">"
            let label = Self.label(row.name)
            let title = label == row.name ? "" : "<title>\(SVG.escape(row.name))</title>"
            let name =
                "<text class=\"name\" x=\"\(SVG.number(Self.nameWidth - 6))\" y=\"\(mid)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(title)\(SVG.escape(label))</text>"
            line += row.href.map { "<a href=\"\(SVG.escape($0))\">\(name)</a>" } ?? name
            line +=
                "<rect class=\"bar \(SVG.scoreClass(row.score))\" x=\"\(SVG.number(Self.nameWidth))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(bx(row.score) - Self.nameWidth))\" height=\"\(SVG.number(Self.rowHeight - 8))\"/>"
            line +=
                "<text class=\"value\" x=\"\(SVG.number(bx(row.score) + 4))\" y=\"\(mid)\" dominant-baseline=\"middle\">\(SVG.label(row.score))</text>"
            if let low = row.low, let high = row.high {
                line +=
                    "<line class=\"whisker\" x1=\"\(SVG.number(rx(Double(low))))\" x2=\"\(SVG.number(rx(Double(high))))\" y1=\"\(mid)\" y2=\"\(mid)\"/>"
                for end in [low, high] {
                    line +=
                        "<line class=\"whisker\" x1=\"\(SVG.number(rx(Double(end))))\" x2=\"\(SVG.number(rx(Double(end))))\" y1=\"\(SVG.number(y + 6))\" y2=\"\(SVG.number(y + Self.rowHeight - 6))\"/>"
                }
            }
            line +=
                "<circle class=\"rank-point\" cx=\"\(SVG.number(rx(Double(row.rank))))\" cy=\"\(mid)\" r=\"4\"><title>\(SVG.escape("\(row.name): \(rankWord) \(row.rank)"))</title></circle>"
            out += line + "</g>"
        }
        return out + "</svg>"
    }
}

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
            "\(dots.count): \(lowest.name) \(SVG.label(lowest.value, decimals: 2)) … \(highest.name) \(SVG.label(highest.value, decimals: 2)) \(unit); \(medianWord) \(SVG.label(median, decimals: 2))"
        if let target { text += "; \(targetWord) \(SVG.label(target, decimals: 2))" }
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
                "<text class=\"axis\" x=\"\(SVG.number(x(tick)))\" y=\"\(SVG.number(axisY + 18))\" text-anchor=\"middle\">\(SVG.label(tick, decimals: 2))</text>"
        }
        if let median {
            out +=
                "<line class=\"median\" x1=\"\(SVG.number(x(median)))\" x2=\"\(SVG.number(x(median)))\" y1=\"20\" y2=\"\(SVG.number(axisY))\"><title>\(SVG.escape("\(medianWord) \(SVG.label(median, decimals: 2))"))</title></line>"
        }
        if let target {
            out +=
                "<line class=\"target\" x1=\"\(SVG.number(x(target)))\" x2=\"\(SVG.number(x(target)))\" y1=\"12\" y2=\"\(SVG.number(axisY))\"><title>\(SVG.escape("\(targetWord) \(SVG.label(target, decimals: 2))"))</title></line>"
        }
        // Dots jitter vertically by their order so that equal values stay visible.
        for (offset, dot) in dots.enumerated() {
            let highlighted = dot.name == highlight
            let cy = highlighted ? 52.0 : 36 + Double(offset % 5) * 8
            let circle =
                "<circle class=\"\(highlighted ? "dot highlight" : "dot")\" cx=\"\(SVG.number(x(dot.value)))\" cy=\"\(SVG.number(cy))\" r=\"\(highlighted ? 6 : 4)\"><title>\(SVG.escape("\(dot.name): \(SVG.label(dot.value, decimals: 2)) \(unit)"))</title></circle>"
            out += dot.href.map { "<a href=\"\(SVG.escape($0))\">\(circle)</a>" } ?? circle
        }
        return out + "</svg>"
    }
}

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

/// The 34 provinces placed by their coordinates, each a circle coloured by its score and
/// linking to its profile. Vietnam's outline is not drawn: the places alone read as the country.
struct ProvinceMap {
    struct Place {
        let code: String
        let name: String
        let latitude: Double
        let longitude: Double
        let score: Double?
        let href: String
    }

    let id: String
    let title: String
    let places: [Place]
    let scoreWord: String
    let noScoreWord: String

    static let width = 300.0
    static let height = 520.0

    var description: String {
        places.sorted { ($0.score ?? -1) > ($1.score ?? -1) }.map { place in
            "\(place.name): " + (place.score.map { "\(scoreWord) \(SVG.label($0))" } ?? noScoreWord)
        }.joined(separator: "; ") + "."
    }

    var svg: String {
        // Vietnam spans about 8.4–23.4° N and 102.1–109.5° E; one degree of longitude is
        // cos(latitude) of a degree of latitude, about 0.95 here.
        let (south, north, west, east) = (8.2, 23.6, 102.0, 110.0)
        let scale = min((Self.height - 20) / (north - south), (Self.width - 20) / ((east - west) * 0.95))
        func x(_ longitude: Double) -> Double { 10 + (longitude - west) * 0.95 * scale }
        func y(_ latitude: Double) -> Double { 10 + (north - latitude) * scale }
        var out = SVG.open(
            id: id, width: Self.width, height: Self.height, title: title, description: description, kind: "map")
        for place in places {
            let label = "\(place.name): " + (place.score.map { "\(scoreWord) \(SVG.label($0))" } ?? noScoreWord)
            out +=
                "<a href=\"\(SVG.escape(place.href))\" aria-label=\"\(SVG.escape(label))\"><circle class=\"place \(SVG.scoreClass(place.score))\" cx=\"\(SVG.number(x(place.longitude)))\" cy=\"\(SVG.number(y(place.latitude)))\" r=\"9\"><title>\(SVG.escape(label))</title></circle></a>"
        }
        // Legend: the five score steps.
        for step in 0..<5 {
            let ly = Self.height - 110 + Double(step) * 18
            out +=
                "<circle class=\"place score-\(step)\" cx=\"\(SVG.number(Self.width - 90))\" cy=\"\(SVG.number(ly))\" r=\"6\"/><text class=\"axis\" x=\"\(SVG.number(Self.width - 78))\" y=\"\(SVG.number(ly))\" dominant-baseline=\"middle\">\(step * 20)–\(step == 4 ? 100 : step * 20 + 20)</text>"
        }
        return out + "</svg>"
    }
}
