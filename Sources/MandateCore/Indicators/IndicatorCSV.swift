/// Parses an indicators file, as `bench/generate.py` writes it:
/// `code,name_vi,name_en,unit_of_measure,value_type,direction,frequency,applies_to,rollup`, where
/// `applies_to` joins unit kinds with `;`. Optional columns: `rollup_denominator`, `due_days`,
/// `targets` (`2026:10;2030:20`) and `illustrative` (`true`/`false`).
public enum IndicatorCSV {
    public static let columns = [
        "code", "name_vi", "name_en", "unit_of_measure", "value_type", "direction", "frequency", "applies_to", "rollup",
    ]

    /// Every indicator in file order, or every problem found, each naming its line and column.
    public static func parse(_ text: String) throws(ValidationFailure) -> [Indicator] {
        try read(text).indicators
    }

    /// The indicators with the line each is on (by code), or every problem found.
    public static func read(_ text: String) throws(ValidationFailure) -> (indicators: [Indicator], lines: [String: Int])
    {
        let records = try CSVReader.records(text)
        guard let header = records.first else {
            throw ValidationFailure([RowError(line: 1, column: nil, reason: "the file is empty")])
        }
        let names = header.fields.map { $0.trimmingWhitespace() }
        let missing = columns.filter { !names.contains($0) }
        if !missing.isEmpty {
            throw ValidationFailure([
                RowError(line: 1, column: nil, reason: "missing column(s): \(missing.joined(separator: ", "))")
            ])
        }
        var errors: [RowError] = []
        var indicators: [Indicator] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                errors.append(
                    RowError(
                        line: record.line, column: nil,
                        reason: "expected \(names.count) fields, found \(record.fields.count)"))
                continue
            }
            var row: [String: String] = [:]
            for (name, field) in zip(names, record.fields) { row[name] = field.trimmingWhitespace() }
            var rowErrors: [RowError] = []
            func field<T: RawRepresentable>(_ column: String, _ type: T.Type) -> T? where T.RawValue == String {
                if let value = T(rawValue: row[column] ?? "") { return value }
                rowErrors.append(
                    RowError(line: record.line, column: column, reason: "unknown \(column) \"\(row[column] ?? "")\""))
                return nil
            }
            let valueType = field("value_type", ValueType.self)
            let direction = field("direction", Direction.self)
            let frequency = field("frequency", Frequency.self)
            let method = field("rollup", RollupMethod.self)
            var kinds: [UnitKind] = []
            for name in (row["applies_to"] ?? "").split(separator: ";") {
                if let kind = UnitKind(rawValue: String(name).trimmingWhitespace()) {
                    kinds.append(kind)
                } else {
                    rowErrors.append(
                        RowError(line: record.line, column: "applies_to", reason: "unknown unit kind \"\(name)\""))
                }
            }
            var targets: [IndicatorTarget] = []
            for pair in (row["targets"] ?? "").split(separator: ";") {
                let parts = pair.split(separator: ":")
                if parts.count == 2, let year = Int(parts[0]),
                    let value = ValueText.parse(String(parts[1]), as: valueType)
                {
                    targets.append(IndicatorTarget(year: year, value: value))
                } else {
                    rowErrors.append(
                        RowError(line: record.line, column: "targets", reason: "expected YEAR:VALUE pairs joined by ;"))
                }
            }
            var illustrative = false
            switch row["illustrative"]?.lowercased() ?? "" {
            case "", "false": break
            case "true": illustrative = true
            case let text:
                rowErrors.append(
                    RowError(line: record.line, column: "illustrative", reason: "\"\(text)\" is not true or false"))
            }
            var dueDays = Indicator.defaultDueDays
            if let text = row["due_days"], !text.isEmpty {
                if let days = Int(text) {
                    dueDays = days
                } else {
                    rowErrors.append(
                        RowError(line: record.line, column: "due_days", reason: "\"\(text)\" is not a whole number"))
                }
            }
            guard rowErrors.isEmpty, let valueType, let direction, let frequency, let method else {
                errors += rowErrors
                continue
            }
            let denominator = row["rollup_denominator"].flatMap { $0.isEmpty ? nil : $0 }
            let indicator = Indicator(
                code: row["code"] ?? "", nameVi: row["name_vi"] ?? "", nameEn: row["name_en"] ?? "",
                unitOfMeasure: row["unit_of_measure"] ?? "", valueType: valueType, direction: direction,
                frequency: frequency, appliesTo: kinds, rollup: RollupRule(method, denominator: denominator),
                targets: targets, dueDays: dueDays, illustrative: illustrative)
            let problems = indicator.problems().map {
                RowError(line: record.line, column: csvColumn($0.column), reason: $0.reason)
            }
            if let first = seen[indicator.code] {
                errors.append(
                    RowError(
                        line: record.line, column: "code",
                        reason: "code \(indicator.code) already appears on line \(first)"))
            } else {
                seen[indicator.code] = record.line
            }
            errors += problems
            if problems.isEmpty { indicators.append(indicator) }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return (indicators, seen)
    }

    /// The file's column for a field of `Indicator`.
    public static func csvColumn(_ field: String?) -> String? {
        switch field {
        case "nameVi": "name_vi"
        case "nameEn": "name_en"
        case "appliesTo": "applies_to"
        case "dueDays": "due_days"
        case "rollup.denominator": "rollup_denominator"
        default: field
        }
    }
}
