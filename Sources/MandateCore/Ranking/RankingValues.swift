/// The values a method ranks, read from the open-data values file (`indicator,unit,period,value`),
/// where delivery measures appear as `delivery:on_time_rate` and so on.
public struct RankingValues: Sendable {
    /// value by (period, source key, unit): only the rows of the method's sources.
    let values: [String: [String: [String: Double]]]
    /// The units that have a value of one of the method's sources but that `units` left out, by code.
    public let unlisted: [String]

    /// The rows of `inputs` that the method uses, checked: a value that is not a number, a period
    /// that is not a period, or a second value for the same (indicator, unit, period) is refused
    /// with its line. `units`, when given, restricts the units (e.g. to those of the method's kind).
    public init(_ inputs: [DataValueInput], method: RankingMethod, units: Set<String>? = nil) throws(ValidationFailure)
    {
        let sources = method.inputKeys
        var values: [String: [String: [String: Double]]] = [:]
        var errors: [RowError] = []
        var seen: [DataValueKey: DataValueInput.Origin] = [:]
        var periods = Set<String>()
        var unlisted = Set<String>()
        for input in inputs where sources.contains(input.key.indicator) {
            if let units, !units.contains(input.key.unit) {
                unlisted.insert(input.key.unit)
                continue
            }
            if !periods.contains(input.key.period) {
                do {
                    _ = try Period(input.key.period)
                    periods.insert(input.key.period)
                } catch {
                    errors.append(input.error(.period, error.reason))
                    continue
                }
            }
            guard let value = ValueText.parse(input.value, as: nil) else {
                errors.append(input.error(.value, "\"\(input.value)\" is not a number"))
                continue
            }
            if let first = seen[input.key] {
                let at = if case .line(let line) = first { " (first on line \(line))" } else { "" }
                errors.append(
                    input.error(
                        nil, "a second value for \(input.key.indicator), \(input.key.unit), \(input.key.period)\(at)"))
                continue
            }
            seen[input.key] = input.origin
            values[input.key.period, default: [:]][input.key.unit, default: [:]][input.key.indicator] = value
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        self.values = values
        self.unlisted = unlisted.sorted(by: RankingTable.codeOrder)
    }

    /// The units that have a value of one of the method's sources in some period, by code.
    public var units: [String] {
        Set(values.values.flatMap(\.keys)).sorted(by: RankingTable.codeOrder)
    }

    /// The periods that have values, oldest first.
    public var periods: [String] {
        values.keys.compactMap { try? Period($0) }.sorted().map(\.id)
    }

    /// The table of `period`; `units` adds units without values (listed as unranked).
    public func table(_ period: String, units: some Sequence<String> = []) -> RankingTable {
        RankingTable(period: period, values: values[period] ?? [:], units: units)
    }
}
