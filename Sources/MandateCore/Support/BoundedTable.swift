import Synchronization

/// Values kept by key between requests, at most `capacity` of them: when full, the table starts
/// again. For what never goes stale under its key (a published ranking's version, a row drawn from
/// its own fields), so that nothing ever needs dropping one by one.
public final class BoundedTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = Mutex<[Key: Value]>([:])
    private let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public subscript(_ key: Key) -> Value? {
        table.withLock { $0[key] }
    }

    public func keep(_ value: Value, for key: Key) {
        table.withLock { table in
            if table.count >= capacity { table.removeAll() }
            table[key] = value
        }
    }

    /// The value kept for `key`, or the one `make` makes, kept.
    public func value(for key: Key, orMake make: () -> Value) -> Value {
        if let kept = self[key] { return kept }
        let value = make()
        keep(value, for: key)
        return value
    }
}
