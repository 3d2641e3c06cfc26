import Foundation
import MandateCore

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
    /// The page's language, for the numbers written on the chart.
    let language: Language

    static let width = 300.0
    static let height = 520.0

    var description: String {
        places.sorted { ($0.score ?? -1) > ($1.score ?? -1) }.map { place in
            "\(place.name): " + (place.score.map { "\(scoreWord) \(SVG.label($0, language))" } ?? noScoreWord)
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
            let label =
                "\(place.name): " + (place.score.map { "\(scoreWord) \(SVG.label($0, language))" } ?? noScoreWord)
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
