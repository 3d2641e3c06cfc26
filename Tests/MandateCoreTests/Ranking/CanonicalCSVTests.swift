import Foundation
import Testing

@testable import MandateCore

/// The canonical CSV of ranking inputs is its rows sorted by period, source and unit (UTF-8
/// bytes), whatever way the text is built.
@Suite struct CanonicalCSVTests {
    /// The rule as stated: every row, sorted by the three keys, a stable sort.
    static func reference(_ tables: [RankingTable]) -> String {
        var rows: [(period: String, source: String, unit: String, value: Double)] = []
        for table in tables {
            for source in table.columns.keys.sorted() {
                for (index, value) in table.columns[source]!.enumerated() {
                    if let value { rows.append((table.period, source, table.units[index], value)) }
                }
            }
        }
        let before = { (a: String, b: String) in a.utf8.lexicographicallyPrecedes(b.utf8) }
        let sorted = rows.enumerated().sorted { x, y in
            let (a, b) = (x.element, y.element)
            if a.period != b.period { return before(a.period, b.period) }
            if a.source != b.source { return before(a.source, b.source) }
            if a.unit != b.unit { return before(a.unit, b.unit) }
            return x.offset < y.offset
        }
        return "indicator,unit,period,value\n"
            + sorted.map {
                let row = $0.element
                return [row.source, row.unit, row.period].map(CSVField.quoted).joined(separator: ",") + ","
                    + ValueText.format(row.value) + "\n"
            }.joined()
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func theTextIsTheRowsSortedByPeriodSourceAndUnit(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let units = ["01", "1", "10", "00004", "Đà", "a,b", "x\"y", "Z", "z", "BKHCN"]
        let sources = ["CQS001", "delivery:on_time_rate", "X", "x", "a,b", "Ω"]
        let periods = ["2025", "2024", "2025Q1", "202606"]
        var tables: [RankingTable] = []
        for _ in 0..<(1 + Int(random.next() % 3)) {
            var values: [String: [String: Double]] = [:]
            for _ in 0..<(Int(random.next() % 40)) {
                let value = Double(Int(random.next() % 2001) - 1000) / pick([1, 4, 10, 3])
                values[pick(units), default: [:]][pick(sources)] = value
            }
            // Periods repeat on purpose: tables of one period merge unit by unit.
            tables.append(RankingTable(period: pick(periods), values: values, units: [pick(units)]))
        }
        #expect(RankingTable.canonicalCSV(tables) == Self.reference(tables))
    }
}
