/// A unit's place in the tree: its code followed by its ancestors' codes, up to the root.
public struct UnitPath: Sendable, Hashable {
    /// `[unit, parent, grandparent, …, root]`.
    public let codes: [String]

    public init(_ codes: [String]) {
        self.codes = codes
    }

    public var unit: String? { codes.first }

    /// True when `code` is this unit or one of its ancestors.
    public func isWithin(_ code: String) -> Bool {
        codes.contains(code)
    }
}
