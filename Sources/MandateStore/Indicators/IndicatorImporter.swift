import MandateCore

/// Saves indicator definitions after checking what a single definition cannot: that each weighted
/// mean's denominator exists (in the same batch or already stored) and is a number.
public struct IndicatorImporter: Sendable {
    let indicators: any IndicatorRepository

    public init(indicators: any IndicatorRepository) {
        self.indicators = indicators
    }

    /// Checks and saves; throws every problem, each naming its field (or, given the `lines` of a
    /// file by code, its line and column), and then saves nothing.
    public func save(_ batch: [Indicator], lines: [String: Int]? = nil) async throws {
        var errors = batch.flatMap { $0.problems() }
        var known: [String: Indicator] = [:]
        for indicator in try await indicators.list() { known[indicator.code] = indicator }
        for indicator in batch { known[indicator.code] = indicator }
        for indicator in batch {
            guard let denominator = indicator.rollup.denominator else { continue }
            guard let weight = known[denominator] else {
                errors.append(
                    RowError(
                        line: nil, column: "rollup.denominator",
                        en: "\(indicator.code): no indicator has code \"\(denominator)\"",
                        vi: "\(indicator.code): không có chỉ tiêu mã \"\(denominator)\""))
                continue
            }
            if weight.valueType != .number || weight.frequency != indicator.frequency {
                errors.append(
                    RowError(
                        line: nil, column: "rollup.denominator",
                        en:
                            "\(indicator.code): the denominator must be a number reported \(indicator.frequency.rawValue)",
                        vi: "\(indicator.code): chỉ tiêu trọng số phải là số, báo cáo cùng tần suất"))
            }
        }
        if let lines {
            errors = errors.map { error in
                let code = batch.first { error.reason.hasPrefix("\($0.code):") }?.code
                var placed = error
                placed.line = code.flatMap { lines[$0] } ?? error.line
                placed.column = IndicatorCSV.csvColumn(error.column)
                return placed
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        try await indicators.save(batch)
    }
}
