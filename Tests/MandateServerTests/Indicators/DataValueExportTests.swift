import Foundation
import Hummingbird
import MandateCore
import Testing

@testable import MandateServer

/// The export's JSON, written directly, is what Foundation's encoder writes for the same set.
@Suite struct DataValueExportTests {
    /// An exported item as `Encodable`: the shape the written JSON is checked against.
    struct Item: Encodable {
        let dataElement: String
        let orgUnit: String
        let period: String
        let value: String
        let comment: String?
        let evidence: String?
        let illustrative: Bool?
    }

    static func valueSet(_ values: [DataValue], illustrative: Set<String>) -> [String: [Item]] {
        [
            "dataValues": values.map {
                Item(
                    dataElement: $0.indicator, orgUnit: $0.unit, period: $0.period, value: ValueText.format($0.value),
                    comment: $0.comment, evidence: $0.evidence,
                    illustrative: illustrative.contains($0.indicator) ? true : nil)
            }
        ]
    }

    static func value(
        _ indicator: String, _ unit: String, _ number: Double, comment: String?, evidence: String?
    )
        -> DataValue
    {
        DataValue(
            indicator: indicator, unit: unit, period: "2026Q1", value: number, comment: comment, evidence: evidence,
            status: .approved, enteredBy: nil, enteredAt: "2026-04-01T00:00:00.000Z",
            firstReportedAt: "2026-04-01T00:00:00.000Z", late: false)
    }

    @Test func theWrittenJSONIsWhatTheEncoderWrites() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let texts: [String?] = [
            nil, "", "quý 1", #"say "yes" \ no"#, "a/b </script>", controls, "\u{7F}\u{2028}\u{2029}\u{FEFF}",
            "🇻🇳 Hà Nội", "=HYPERLINK(\"x\")",
        ]
        var values: [DataValue] = []
        for (index, comment) in texts.enumerated() {
            let evidence = texts[(index + 3) % texts.count]
            values.append(
                Self.value(
                    index % 2 == 0 ? "T_PCT" : "HT_BB", "0000\(index)", [42.5, -0.001, 1e21, 7][index % 4],
                    comment: comment, evidence: evidence))
        }
        for illustrative in [Set<String>(), ["T_PCT"], ["T_PCT", "HT_BB"]] {
            let expected = try JSONEncoder.api.encode(Self.valueSet(values, illustrative: illustrative))
            let written = DataValueExport.json(values, illustrative: illustrative)
            #expect(Data(buffer: written) == expected, "\(illustrative)")
        }
        let empty = try JSONEncoder.api.encode(Self.valueSet([], illustrative: []))
        #expect(Data(buffer: DataValueExport.json([], illustrative: [])) == empty)
    }
}
