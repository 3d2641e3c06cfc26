/// A write refused because of the state of what it acts on, e.g. a decision on a report already
/// decided. Nothing was changed.
public struct StateConflict: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// A write or read about something that does not exist.
public struct RecordNotFound: Error, Sendable, CustomStringConvertible {
    public var what: String

    public init(_ what: String) {
        self.what = what
    }

    public var description: String { what }
}
