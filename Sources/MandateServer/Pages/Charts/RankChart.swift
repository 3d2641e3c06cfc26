import Foundation
import MandateCore

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
    /// The page's language, for the numbers written on the chart.
    let language: Language

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
            var text = "\(row.name): \(rankWord) \(row.rank), \(scoreWord) \(SVG.label(row.score, language))"
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
                "<text class=\"value\" x=\"\(SVG.number(bx(row.score) + 4))\" y=\"\(mid)\" dominant-baseline=\"middle\">\(SVG.label(row.score, language))</text>"
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
