import SQLKit
import Synchronization

/// A copy of some data kept in memory for as long as its counter in `data_versions` holds.
///
/// The transactions that change the data bump the counter, so one small query tells whether the
/// copy is current, on every instance alike. The version is read before the data: a copy is never
/// kept under a newer version than its data.
final class VersionedCopy<Value: Sendable>: Sendable {
    private let name: String
    private let kept = Mutex<(version: Int64, value: Value)?>(nil)

    init(of name: String) {
        self.name = name
    }

    /// The data as `db` sees it: the kept copy, or a fresh one from `load`.
    func current(on db: any SQLDatabase, load: (any SQLDatabase) async throws -> Value) async throws -> Value {
        let version = try await DataVersion.read(name, on: db)
        if let kept = kept.withLock({ $0 }), kept.version == version { return kept.value }
        let value = try await load(db)
        kept.withLock { $0 = (version, value) }
        return value
    }
}
