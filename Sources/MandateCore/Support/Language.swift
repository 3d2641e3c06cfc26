/// A language the product speaks (pages, messages, how numbers are written); Vietnamese is the
/// default.
public enum Language: String, Sendable, CaseIterable {
    case vi
    case en

    /// The other language, for the switch link.
    public var other: Language { self == .vi ? .en : .vi }
}
