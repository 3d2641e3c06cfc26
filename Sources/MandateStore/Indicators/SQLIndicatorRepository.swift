import MandateCore
import SQLKit

/// `IndicatorRepository` on SQLite or PostgreSQL.
public struct SQLIndicatorRepository: IndicatorRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    static let columns = [
        "code", "name_vi", "name_en", "unit_of_measure", "value_type", "direction", "frequency", "applies_to",
        "rollup_method", "rollup_denominator", "due_days", "illustrative",
    ]

    public func list() async throws -> [Indicator] {
        try await database.read { db in try await database.definitions.current(on: db).indicators }
    }

    public func get(code: String) async throws -> Indicator? {
        try await database.read { db in try await database.definitions.current(on: db).byCode[code] }
    }

    static func load(on db: any SQLDatabase, code: String?) async throws -> [Indicator] {
        var select = db.select().columns(columns).from("indicators")
        var targets = db.select().columns("indicator_code", "year", "value").from("indicator_targets")
        if let code {
            select = select.where("code", .equal, code)
            targets = targets.where("indicator_code", .equal, code)
        }
        let rows = try await select.orderBy("code").all(
            decoding: IndicatorRow.self, keyDecodingStrategy: .snakeCaseColumns)
        var byIndicator: [String: [IndicatorTarget]] = [:]
        for row in try await targets.orderBy("year").all(
            decoding: TargetRow.self, keyDecodingStrategy: .snakeCaseColumns)
        {
            byIndicator[row.indicatorCode, default: []].append(IndicatorTarget(year: row.year, value: row.value))
        }
        return rows.map { $0.indicator(targets: byIndicator[$0.code] ?? []) }
    }

    public func save(_ indicators: [Indicator]) async throws {
        let now = database.clock.now()
        try await database.transaction { db in
            ChangeRecorder.note([.definitions])
            let before = try await database.definitions.current(on: db).byCode
            try await Self.checkStoredValues(indicators, before: before, on: db)
            for batch in indicators.chunked(into: 500) {
                var insert = db.insert(into: "indicators").columns(Self.columns + ["updated_at"])
                for indicator in batch {
                    insert = insert.values(
                        [
                            indicator.code, indicator.nameVi, indicator.nameEn, indicator.unitOfMeasure,
                            indicator.valueType.rawValue, indicator.direction.rawValue, indicator.frequency.rawValue,
                            indicator.appliesTo.map(\.rawValue).joined(separator: ";"),
                            indicator.rollup.method.rawValue,
                            indicator.rollup.denominator, indicator.dueDays, indicator.illustrative, now,
                        ] as [any Encodable & Sendable])
                }
                try await insert.onConflict(with: ["code"]) { update in
                    var update = update
                    for column in Self.columns.dropFirst() + ["updated_at"] {
                        update = update.set(excludedValueOf: column)
                    }
                    return update
                }.run()
                try await db.delete(from: "indicator_targets")
                    .where("indicator_code", .in, batch.map(\.code)).run()
                let targets = batch.flatMap { indicator in indicator.targets.map { (indicator.code, $0) } }
                if !targets.isEmpty {
                    var insert = db.insert(into: "indicator_targets").columns("indicator_code", "year", "value")
                    for (code, target) in targets { insert = insert.values(code, target.year, target.value) }
                    try await insert.run()
                }
            }
            try await DataVersion.bump(DataVersion.indicators, on: db)
            // Totals kept under another way of rolling up are computed again under the new one.
            let moved = indicators.filter { indicator in
                guard let old = before[indicator.code] else { return false }
                return old.rollup != indicator.rollup || old.rollupKinds != indicator.rollupKinds
            }
            if !moved.isEmpty {
                let writer = ValueWriter.prepare(
                    on: db, definitions: try await database.definitions.current(on: db),
                    units: try await database.units.current(on: db))
                // The figures of every period totalled before or after move (`FigureVersions`).
                for code in moved.map(\.code) { try await FigureVersions.bumpTotalled(code, on: db) }
                try await writer.rebuildTotals(of: moved.map(\.code))
                for code in moved.map(\.code) { try await FigureVersions.bumpTotalled(code, on: db) }
            }
        }
    }

    /// Values already stored were checked against an indicator's value type and frequency: those
    /// cannot change under them.
    static func checkStoredValues(
        _ indicators: [Indicator], before: [String: Indicator], on db: any SQLDatabase
    ) async throws {
        var errors: [RowError] = []
        for indicator in indicators {
            guard let old = before[indicator.code],
                old.valueType != indicator.valueType || old.frequency != indicator.frequency
            else { continue }
            let stored = try await db.select().column("period").from("data_values")
                .where("indicator_code", .equal, indicator.code).limit(1).first()
            guard stored != nil else { continue }
            let changed = [
                ("valueType", "value type", old.valueType.rawValue, indicator.valueType.rawValue),
                ("frequency", "frequency", old.frequency.rawValue, indicator.frequency.rawValue),
            ]
            for (field, name, was, now) in changed where was != now {
                errors.append(
                    RowError(
                        line: nil, column: field,
                        reason: "\(indicator.code) has stored values with the \(name) \(was); its \(name) cannot "
                            + "change (define a new indicator)"))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    static let ruleColumns = [
        "code", "kind", "indicator_code", "minimum", "maximum", "comparison", "other_code", "message",
    ]

    public func rules() async throws -> [ValidationRule] {
        try await database.read { db in try await database.definitions.current(on: db).rules }
    }

    public func saveRules(_ rules: [ValidationRule]) async throws {
        guard !rules.isEmpty else { return }
        try await database.transaction { db in
            ChangeRecorder.note([.definitions])
            var insert = db.insert(into: "validation_rules").columns(Self.ruleColumns)
            for rule in rules {
                insert = insert.values(
                    [
                        rule.code, rule.kind.rawValue, rule.indicator, rule.minimum, rule.maximum,
                        rule.comparison?.rawValue, rule.other, rule.message,
                    ] as [any Encodable & Sendable])
            }
            try await insert.onConflict(with: ["code"]) { update in
                var update = update
                for column in Self.ruleColumns.dropFirst() { update = update.set(excludedValueOf: column) }
                return update
            }.run()
            try await DataVersion.bump(DataVersion.indicators, on: db)
        }
    }

    public func deleteRule(code: String) async throws -> Bool {
        try await database.transaction { db in
            ChangeRecorder.note([.definitions])
            let found = try await db.select().column("code").from("validation_rules").where("code", .equal, code)
                .first()
            guard found != nil else { return false }
            try await db.delete(from: "validation_rules").where("code", .equal, code).run()
            try await DataVersion.bump(DataVersion.indicators, on: db)
            return true
        }
    }
}

/// An `indicators` row as stored.
struct IndicatorRow: Decodable {
    var code: String
    var nameVi: String
    var nameEn: String
    var unitOfMeasure: String
    var valueType: String
    var direction: String
    var frequency: String
    var appliesTo: String
    var rollupMethod: String
    var rollupDenominator: String?
    var dueDays: Int
    var illustrative: Bool

    func indicator(targets: [IndicatorTarget]) -> Indicator {
        Indicator(
            code: code, nameVi: nameVi, nameEn: nameEn, unitOfMeasure: unitOfMeasure,
            valueType: ValueType(rawValue: valueType) ?? .number, direction: Direction(rawValue: direction) ?? .higher,
            frequency: Frequency(rawValue: frequency) ?? .yearly,
            appliesTo: appliesTo.split(separator: ";").compactMap { UnitKind(rawValue: String($0)) },
            rollup: RollupRule(RollupMethod(rawValue: rollupMethod) ?? .none, denominator: rollupDenominator),
            targets: targets, dueDays: dueDays, illustrative: illustrative)
    }
}

struct TargetRow: Decodable {
    var indicatorCode: String
    var year: Int
    var value: Double
}

/// A `validation_rules` row as stored.
struct RuleRow: Decodable {
    var code: String
    var kind: String
    var indicatorCode: String
    var minimum: Double?
    var maximum: Double?
    var comparison: String?
    var otherCode: String?
    var message: String

    var rule: ValidationRule? {
        guard let kind = ValidationRule.Kind(rawValue: kind) else { return nil }
        return ValidationRule(
            code: code, kind: kind, indicator: indicatorCode, minimum: minimum, maximum: maximum,
            comparison: comparison.flatMap(ValidationRule.Comparison.init(rawValue:)), other: otherCode,
            message: message)
    }
}
