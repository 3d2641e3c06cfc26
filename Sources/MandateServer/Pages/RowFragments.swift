import MandateCore
import Mustache

/// The templates of a table row that pages list by the hundred (a trend per indicator).
enum RowTemplate: String, CaseIterable, Sendable {
    /// The overview's headlines: the latest figure against its target.
    case headline = "row-headline"
    /// The indicator list: the latest national figure.
    case indicator = "row-indicator"
    /// A unit's profile: its latest figure, target and re-based periods.
    case profile = "row-profile"
}

/// A row drawn as HTML, for a page's list to write as it is.
struct RowHTML: Sendable, MustacheParent {
    let html: String

    func child(named name: String) -> Any? { name == "html" ? html : nil }
}

/// Rows drawn once and kept by what they show: the template, the language and the row's own
/// fields are the key, so a row whose figures change is a new key, and nothing needs dropping.
/// A page of 120 trends then costs Mustache one string per row instead of a dozen lookups, each
/// climbing the context stack (and reflecting the values of sections on the way).
struct RowKey: Hashable, Sendable {
    let template: RowTemplate
    let language: Language
    let row: TrendRow
}

/// What a row template reads: the row's fields, and the language's strings as `t`.
struct RowView: MustacheParent {
    let row: TrendRow
    let t: [String: String]

    func child(named name: String) -> Any? { name == "t" ? t : row.child(named: name) }
}
