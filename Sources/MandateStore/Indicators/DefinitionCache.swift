import MandateCore
import SQLKit
import Synchronization

/// The indicator definitions and validation rules, kept in memory while their data version holds.
///
/// Every value written and every roll-up read needs the definitions; loading them costs two
/// queries and a decode of every indicator. Saving indicators or rules bumps the `indicators`
/// version in the same transaction, so one small query tells whether the kept copy is current, on
/// every instance alike.
public final class DefinitionCache: Sendable {
    public struct Definitions: Sendable {
        public let indicators: [Indicator]
        public let byCode: [String: Indicator]
        public let rules: [ValidationRule]
    }

    private let kept = Mutex<(version: Int64, definitions: Definitions)?>(nil)

    public init() {}

    /// The definitions as `db` sees them.
    func current(on db: any SQLDatabase) async throws -> Definitions {
        // The version is read before the data: a copy is never kept under a newer version than its data.
        let version = try await DataVersion.read(DataVersion.indicators, on: db)
        if let kept = kept.withLock({ $0 }), kept.version == version { return kept.definitions }
        let indicators = try await SQLIndicatorRepository.load(on: db, code: nil)
        let definitions = Definitions(
            indicators: indicators, byCode: Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) }),
            rules: try await SQLIndicatorRepository.loadRules(on: db))
        kept.withLock { $0 = (version, definitions) }
        return definitions
    }
}
