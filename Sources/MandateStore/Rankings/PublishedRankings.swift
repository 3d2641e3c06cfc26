import MandateCore
import Synchronization

/// Published rankings as decoded, by method, period and version. A published version never
/// changes (a correction is a new version), so what was decoded once is the answer for good: the
/// overview's map and every profile read one on each render, and decoding its result cost more
/// than reading it. At most `capacity` are held; when full, the table starts again.
final class PublishedRankings: Sendable {
    struct Key: Hashable {
        let methodId: String
        let period: String
        let version: Int
    }

    private let table = Mutex<[Key: PublishedRanking]>([:])
    private let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    subscript(_ key: Key) -> PublishedRanking? {
        table.withLock { $0[key] }
    }

    func keep(_ ranking: PublishedRanking) {
        let key = Key(methodId: ranking.methodId, period: ranking.period, version: ranking.version)
        table.withLock { table in
            if table.count >= capacity { table.removeAll() }
            table[key] = ranking
        }
    }
}
