/// A part of what the public can read. A commit names the parts it changed, a public answer the
/// parts it was made from, and a kept copy of the answer is dropped exactly when the two meet.
public enum ChangeTag: Hashable, Sendable {
    /// One unit's own figures: its approved values and roll-ups, its reporting timeliness, and the
    /// tasks it leads or coordinates.
    case unit(String)
    /// One indicator's figures, in any unit.
    case indicator(String)
    /// The approved values as a whole (the open-data file of all of them).
    case values
    /// One task: its facts, reports, extensions and history.
    case task(String)
    /// What is read across tasks: lists, the escalation board, delivery figures, recommendations.
    case tasks
    /// Ranking methods and published rankings.
    case rankings
    /// The transparency log's leaves (the published facts and their feed).
    case log
    /// The transparency log's signed checkpoints.
    case checkpoint
    /// The unit tree: codes, names, kinds, parents, lineage. Every answer reads it.
    case units
    /// The indicator definitions and rules. Every answer reads them.
    case definitions
    /// Citizens' ratings as a whole (the open-data file of their counts).
    case ratings
    /// The published database catalogue as a whole (its listing and its DCAT-AP export).
    case catalogue
    /// Anything at all.
    case everything
}

/// A set of `ChangeTag`s: what a commit changed, or what an answer was made from.
///
/// A commit that says nothing of what it changed changed `everything`; an answer that says
/// nothing of what it read read `everything`. A set grown past `limit` tags is `everything`, so
/// that what a large import changed costs no more to hold or to compare than a small write.
public struct ChangeTags: Hashable, Sendable, ExpressibleByArrayLiteral {
    public private(set) var tags: Set<ChangeTag>

    /// More tags than this are held as `everything`.
    public static let limit = 1024
    public static let everything: ChangeTags = [.everything]
    /// What a commit that changes nothing anyone can read without signing in changed.
    public static let nothingPublic: ChangeTags = []

    public init(_ tags: some Sequence<ChangeTag>) {
        self.tags = Set(tags)
        bound()
    }

    public init(arrayLiteral tags: ChangeTag...) {
        self.init(tags)
    }

    /// No public answer can have changed.
    public var isNothingPublic: Bool { tags.isEmpty }

    /// Every public answer may have changed: everything, or what every answer reads.
    public var changesEveryAnswer: Bool {
        tags.contains(.everything) || tags.contains(.units) || tags.contains(.definitions)
    }

    public mutating func formUnion(_ other: ChangeTags) {
        tags.formUnion(other.tags)
        bound()
    }

    public func union(_ other: ChangeTags) -> ChangeTags {
        var union = self
        union.formUnion(other)
        return union
    }

    /// Whether a commit that changed `self` may have changed an answer made from `read`: the one
    /// rule by which the edge, the response cache and shared renders drop what they keep.
    public func affects(_ read: ChangeTags) -> Bool {
        if tags.isEmpty { return false }
        if changesEveryAnswer || read.tags.contains(.everything) { return true }
        return !tags.isDisjoint(with: read.tags)
    }

    /// Whether a commit that changed `self` may have changed the figures of `indicators` in
    /// `units` (a series kept between renders): only if it names one of those units and one of
    /// those indicators, or changed every answer. A commit of approved values names its units with
    /// their ancestors and its indicators with those they weigh (`storedValues`), so a value of one
    /// commune leaves the other communes' series, and its own of other indicators, as they are.
    public func affectsFigures(units: some Sequence<String>, indicators: some Sequence<String>) -> Bool {
        if tags.isEmpty { return false }
        if changesEveryAnswer { return true }
        return units.contains { tags.contains(.unit($0)) } && indicators.contains { tags.contains(.indicator($0)) }
    }

    private mutating func bound() {
        if tags.count > Self.limit { tags = [.everything] }
    }
}
