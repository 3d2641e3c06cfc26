import Foundation
import MandateCore

/// Helpers shared by the server-drawn SVG charts.
///
/// Every chart is an `<svg role="img">` whose `<title>` and `<desc>` are its text alternative
/// (named by `aria-labelledby`); pages put the chart's figures in a table beside it as well.
/// Charts scale to their container (`viewBox`, no fixed width) and use the stylesheet's
/// classes, so they follow the page's colours and stay legible on a phone.
enum SVG {
    /// Text made safe inside an element or an attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, without a trailing ".0".
    /// Written from whole tenths: a chart writes hundreds, and a formatter per number cost a
    /// sixth of a page.
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, tenths.magnitude < 1e15 else { return String(format: "%.1f", tenths / 10) }
        let whole = Int(tenths)
        if whole % 10 == 0 { return String(whole / 10) }
        return "\(whole < 0 ? "-" : "")\(whole.magnitude / 10).\(whole.magnitude % 10)"
    }

    /// A value as people read it in `language`: up to `decimals` decimals, trailing zeros dropped,
    /// the language's separators (`NumberText`).
    static func label(_ value: Double, decimals: Int = 1, _ language: Language) -> String {
        NumberText.format(value, language, fractionDigits: decimals)
    }

    /// The opening tag of a chart and its text alternative; `id` must be unique on the page.
    static func open(
        id: String, width: Double, height: Double, title: String, description: String, kind: String
    )
        -> String
    {
        let id = escape(id)
        return """
            <svg class="chart chart-\(kind)" id="\(id)" viewBox="0 0 \(number(width)) \(number(height))" \
            role="img" aria-labelledby="\(id)-title \(id)-desc" xmlns="http://www.w3.org/2000/svg">\
            <title id="\(id)-title">\(escape(title))</title><desc id="\(id)-desc">\(escape(description))</desc>
            """
    }

    /// Round tick values covering `low...high`, about `count` of them.
    static func ticks(_ low: Double, _ high: Double, count: Int = 4) -> [Double] {
        guard high > low, count > 0 else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        // Each tick is a whole number of steps, rounded to nine decimals so that 3 × 0.2 reads 0.6.
        let first = (low / step).rounded(.up)
        var ticks: [Double] = []
        var index = 0.0
        while (first + index) * step <= high + step * 1e-9 {
            let tick = ((first + index) * step * 1e9).rounded() / 1e9
            ticks.append(tick == 0 ? 0 : tick)
            index += 1
        }
        return ticks
    }

    /// A scale's domain with some room, never empty, including zero when the values are all positive
    /// and close to it.
    static func domain(_ values: [Double]) -> (low: Double, high: Double) {
        guard var low = values.min(), var high = values.max() else { return (0, 1) }
        if low >= 0 && low < (high - low) { low = 0 }
        if high == low {
            high += max(abs(high) * 0.1, 1)
            low -= low == 0 ? 0 : max(abs(low) * 0.1, 1)
        }
        let ticks = ticks(low, high)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : (high - low)
        return ((low / step).rounded(.down) * step, (high / step).rounded(.up) * step)
    }

    /// The colour class of a 0–100 score, in five steps (`score-0` … `score-4`); `score-none` without one.
    static func scoreClass(_ score: Double?) -> String {
        guard let score else { return "score-none" }
        return "score-\(min(4, max(0, Int(score / 20))))"
    }
}
