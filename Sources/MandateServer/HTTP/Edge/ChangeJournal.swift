import MandateCore

/// The public changes a cache was told of, numbered (each one's number is a generation): whether
/// what an answer was made from changed between two moments, so that an answer produced across a
/// change that concerns it is not kept, while one produced across unrelated commits is.
///
/// It holds the last `capacity` changes; of anything older it assumes the worst.
struct ChangeJournal {
    /// The number of the last change recorded.
    private(set) var generation = 0
    private var recent: [ChangeTags]
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        self.recent = Array(repeating: .nothingPublic, count: capacity)
    }

    mutating func record(_ changes: ChangeTags) {
        generation += 1
        recent[generation % capacity] = changes
    }

    /// Whether a change recorded after generation `start`, up to `end` (the last when nil), may
    /// have changed an answer made from `read`.
    func changed(_ read: ChangeTags, after start: Int, upTo end: Int? = nil) -> Bool {
        changed(after: start, upTo: end) { $0.affects(read) }
    }

    /// Whether a change recorded after generation `start`, up to `end` (the last when nil), is one
    /// that `affects` says concerns what was read.
    func changed(after start: Int, upTo end: Int? = nil, where affects: (ChangeTags) -> Bool) -> Bool {
        let end = min(end ?? generation, generation)
        guard end > start else { return false }
        guard generation - start <= capacity else { return true }
        return (start + 1...end).contains { affects(recent[$0 % capacity]) }
    }
}
