import Crypto
import Foundation

/// The input of one period's ranking: for each unit, the value of each source (an indicator's
/// code, `delivery:on_time_rate`, …), or nothing.
public struct RankingTable: Sendable, Equatable {
    /// The period ranked, e.g. `2025`.
    public var period: String
    /// Every unit to rank, in code order; a unit without any value is listed as unranked.
    public let units: [String]
    /// Each source's values, aligned with `units`.
    public let columns: [String: [Double?]]

    /// A table from `values[unit][source]`. `units` adds units that have no value at all.
    public init(period: String, values: [String: [String: Double]], units extra: some Sequence<String> = []) {
        self.period = period
        let units = Set(values.keys).union(extra).sorted(by: Self.codeOrder)
        var position: [String: Int] = [:]
        for (index, unit) in units.enumerated() { position[unit] = index }
        var columns: [String: [Double?]] = [:]
        for (unit, row) in values {
            guard let index = position[unit] else { continue }
            for (source, value) in row {
                columns[source, default: Array(repeating: nil, count: units.count)][index] = value
            }
        }
        self.units = units
        self.columns = columns
    }

    /// The value of `source` for the unit at `index`.
    public func value(_ source: String, at index: Int) -> Double? {
        columns[source]?[index] ?? nil
    }

    /// Codes compare by their UTF-8 bytes, the same on every machine and in every language.
    public static func codeOrder(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }

    /// The tables' values in the open-data shape, `indicator,unit,period,value`, one row per value,
    /// sorted by period, then indicator, then unit (by UTF-8 bytes); values written as
    /// `ValueText.format` writes them. This text is what a published ranking's digest covers.
    public static func canonicalCSV(_ tables: [RankingTable]) -> String {
        var rows: [(period: String, source: String, unit: String, value: Double)] = []
        for table in tables {
            for (source, column) in table.columns {
                for (index, value) in column.enumerated() {
                    if let value { rows.append((table.period, source, table.units[index], value)) }
                }
            }
        }
        rows.sort {
            if $0.period != $1.period { return codeOrder($0.period, $1.period) }
            if $0.source != $1.source { return codeOrder($0.source, $1.source) }
            return codeOrder($0.unit, $1.unit)
        }
        var text = "indicator,unit,period,value\n"
        for row in rows {
            text +=
                "\(CSVField.quoted(row.source)),\(CSVField.quoted(row.unit)),\(CSVField.quoted(row.period)),\(ValueText.format(row.value))\n"
        }
        return text
    }

    /// SHA-256 of `canonicalCSV(tables)`, in lowercase hex.
    public static func digest(_ tables: [RankingTable]) -> String {
        digest(text: canonicalCSV(tables))
    }

    /// SHA-256 of `text` (a canonical CSV), in lowercase hex.
    public static func digest(text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

}
