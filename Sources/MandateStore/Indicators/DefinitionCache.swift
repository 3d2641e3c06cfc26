import MandateCore
import SQLKit

/// The indicator definitions and validation rules, kept in memory while their data version holds.
///
/// Every value written and every roll-up read needs the definitions; loading them costs two
/// queries and a decode of every indicator. Saving indicators or rules bumps the `indicators`
/// version in the same transaction (see `VersionedCopy`).
public final class DefinitionCache: Sendable {
    public struct Definitions: Sendable {
        public let indicators: [Indicator]
        public let byCode: [String: Indicator]
        public let rules: [ValidationRule]
    }

    private let copy = VersionedCopy<Definitions>(of: DataVersion.indicators)

    public init() {}

    /// The definitions as `db` sees them.
    func current(on db: any SQLDatabase) async throws -> Definitions {
        try await copy.current(on: db) { db in
            let indicators = try await SQLIndicatorRepository.load(on: db, code: nil)
            return Definitions(
                indicators: indicators, byCode: Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) }),
                rules: try await SQLIndicatorRepository.loadRules(on: db))
        }
    }
}
