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

    /// A table of `units`, each listed once and in code order, with each source's values aligned
    /// with them: what the store builds column by column.
    public init(period: String, sortedUnits units: [String], columns: [String: [Double?]]) {
        precondition(zip(units, units.dropFirst()).allSatisfy { Self.codeOrder($0, $1) })
        precondition(columns.values.allSatisfy { $0.count == units.count })
        self.period = period
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
        // Periods, sources and units each sorted once, rather than every row (66,000 for 3,321
        // communes, ten sources and two periods) by three strings. Tables of the same period are
        // merged unit by unit in table order, as a stable sort of their rows would leave them.
        var text = Array("indicator,unit,period,value\n".utf8)
        let byPeriod = Dictionary(grouping: tables.indices, by: { tables[$0].period })
        for period in byPeriod.keys.sorted(by: codeOrder) {
            let group = byPeriod[period]!.map { tables[$0] }
            let quotedPeriod = Array(CSVField.quoted(period).utf8)
            // Each table's units in code order, each quoted once.
            let orders = group.map { table in table.units.indices.sorted { codeOrder(table.units[$0], table.units[$1]) }
            }
            let quotedUnits = group.map { $0.units.map { Array(CSVField.quoted($0).utf8) } }
            let sources = Set(group.flatMap(\.columns.keys)).sorted(by: codeOrder)
            for source in sources {
                let quotedSource = Array(CSVField.quoted(source).utf8)
                var rows: [(table: Int, index: Int, value: Double)] = []
                for (position, table) in group.enumerated() {
                    guard let column = table.columns[source] else { continue }
                    for index in orders[position] {
                        if let value = column[index] { rows.append((position, index, value)) }
                    }
                }
                if group.count > 1 {
                    rows = rows.enumerated().sorted { a, b in
                        let (x, y) = (
                            group[a.element.table].units[a.element.index], group[b.element.table].units[b.element.index]
                        )
                        return x != y ? codeOrder(x, y) : a.offset < b.offset
                    }.map(\.element)
                }
                for row in rows {
                    text += quotedSource
                    text.append(0x2C)
                    text += quotedUnits[row.table][row.index]
                    text.append(0x2C)
                    text += quotedPeriod
                    text.append(0x2C)
                    text += ValueText.format(row.value).utf8
                    text.append(0x0A)
                }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// SHA-256 of `canonicalCSV(tables)`, in lowercase hex.
    public static func digest(_ tables: [RankingTable]) -> String {
        digest(text: canonicalCSV(tables))
    }

    /// SHA-256 of `text` (a canonical CSV), in lowercase hex.
    public static func digest(text: String) -> String {
        SHA256Hex.of(Data(text.utf8))
    }

}
