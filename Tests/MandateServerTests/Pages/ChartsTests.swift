import Foundation
import MandateCore
import Testing

@testable import MandateServer

@Suite struct ChartsTests {
    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(SVG.ticks(0, 100) == [0, 25, 50, 75, 100])
        #expect(SVG.ticks(0, 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1].map { ($0 * 10).rounded() / 10 })
        let domain = SVG.domain([47.3, 81.9])
        #expect(domain.low <= 47.3 && domain.high >= 81.9)
        #expect(SVG.domain([5, 5]).high > 5)
    }

    @Test func textIsEscapedAndNumbersAreShort() {
        #expect(SVG.escape(#"<Hà "Nội" & co>"#) == "&lt;Hà &quot;Nội&quot; &amp; co&gt;")
        #expect(SVG.number(12.0) == "12" && SVG.number(12.34) == "12.3")
        #expect(SVG.label(3.10, decimals: 2, .en) == "3.1" && SVG.label(-0.001, .en) == "0")
        // Labels are written the page's way: a decimal comma and a grouping dot in Vietnamese.
        #expect(SVG.label(74.449, decimals: 2, .vi) == "74,45" && SVG.label(1234.56, .vi) == "1.234,6")
        #expect(SVG.label(1234.56, .en) == "1,234.6")
    }

    /// Every chart names itself for assistive technology and lists its figures in its description.
    @Test func chartsCarryTheirTextAlternative() {
        let trajectory = TrajectoryChart(
            id: "t", title: "Share <online>", unit: "%",
            values: [
                .init(label: "2025", position: 2026, value: 61.5), .init(label: "2026", position: 2027, value: 70),
            ],
            targets: [.init(label: "2026", position: 2027, value: 80)], valueWord: "Value", targetWord: "Target",
            language: .en)
        let svg = trajectory.svg
        #expect(
            svg.hasPrefix(
                #"<svg class="chart chart-trajectory" id="t" viewBox="0 0 640 260" role="img" aria-labelledby="t-title t-desc""#
            ))
        #expect(svg.contains("<title id=\"t-title\">Share &lt;online&gt;</title>"))
        #expect(svg.contains("Value: 2025: 61.5 %; 2026: 70 %. Target: 2026: 80 %."))
        #expect(svg.components(separatedBy: "<circle class=\"series-point\"").count == 3)
        #expect(svg.hasSuffix("</svg>"))

        let ranks = RankChart(
            id: "r", title: "Provinces",
            rows: [
                .init(name: "A", href: "/units/A", rank: 1, low: 1, high: 3, score: 72.3),
                .init(name: "B", href: nil, rank: 2, low: nil, high: nil, score: 60),
            ], count: 2, rankWord: "rank", scoreWord: "score", intervalWord: "interval", language: .en)
        #expect(ranks.description == "A: rank 1, score 72.3, interval 1–3; B: rank 2, score 60.")
        #expect(ranks.svg.components(separatedBy: "class=\"whisker\"").count == 4)
        // A long name is cut to fit a phone's screen, and shown whole on hover and in the description.
        let long = RankChart(
            id: "r", title: "Provinces",
            rows: [.init(name: "Thành phố Hồ Chí Minh", href: nil, rank: 1, low: nil, high: nil, score: 70)],
            count: 1, rankWord: "rank", scoreWord: "score", intervalWord: "interval", language: .en)
        #expect(long.svg.contains("<title>Thành phố Hồ Chí Minh</title>Thành phố Hồ Chí…</text>"))
        #expect(long.description.hasPrefix("Thành phố Hồ Chí Minh: rank 1"))
        #expect(ranks.svg.contains(">A</text>") && !ranks.svg.contains("<title>A</title>"))

        let spread = SpreadChart(
            id: "s", title: "Spread", unit: "%",
            dots: [
                .init(name: "A", href: nil, value: 1), .init(name: "B", href: nil, value: 3),
                .init(name: "C", href: nil, value: 10),
            ],
            target: 5, highlight: nil, medianWord: "median", targetWord: "target", language: .en)
        #expect(spread.median == 3)
        #expect(spread.description == "3: A 1 … C 10 %; median 3; target 5.")
    }

    @Test func theMapPlacesEachProvinceAndColoursItByScore() {
        let map = ProvinceMap(
            id: "m", title: "Map",
            places: [
                .init(code: "01", name: "Hà Nội", latitude: 21.0, longitude: 105.7, score: 85, href: "/units/01"),
                .init(code: "79", name: "Hồ Chí Minh", latitude: 10.8, longitude: 106.7, score: nil, href: "/units/79"),
            ], scoreWord: "score", noScoreWord: "no score", language: .en)
        let svg = map.svg
        #expect(svg.contains(#"<a href="/units/01" aria-label="Hà Nội: score 85"><circle class="place score-4""#))
        #expect(
            svg.contains(#"<a href="/units/79" aria-label="Hồ Chí Minh: no score"><circle class="place score-none""#))
        // North is up: Hà Nội is drawn above Hồ Chí Minh City.
        func cy(_ code: String) -> Double? {
            guard let anchor = svg.range(of: "href=\"/units/\(code)\"") else { return nil }
            let rest = svg[anchor.upperBound...]
            guard let start = rest.range(of: "cy=\"") else { return nil }
            return Double(rest[start.upperBound...].prefix { $0 != "\"" })
        }
        #expect((cy("01") ?? .infinity) < (cy("79") ?? -.infinity))
    }

    @Test func aSparklineNeedsTwoValues() {
        #expect(Sparkline(values: [1], label: "x").svg.isEmpty)
        let svg = Sparkline(values: [1, 3, 2], label: "2024: 1; 2025: 3; 2026: 2").svg
        #expect(svg.contains(#"aria-label="2024: 1; 2025: 3; 2026: 2""#) && svg.contains("<polyline points="))
    }
}
