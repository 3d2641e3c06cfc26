import Mustache

/// A page's own typed view model: a struct whose stored properties the page's template reads by
/// name (through `Mirror`), built from domain values by the page's handler and testable alone.
/// Optional texts are `nil` when absent, never empty, so that a template's section for them
/// stays closed.
protocol PageModel: Sendable {}

/// What every page shows around its content, as the layout reads it.
struct FrameView: Sendable {
    struct SignedIn: Sendable {
        let displayName: String
        let email: String
        /// The role in words, in the page's language.
        let role: String
        let unitCode: String
    }

    let lang: String
    /// The page language's strings (`{{t.key}}`).
    let t: [String: String]
    let title: String
    let path: String
    let switchHref: String
    let switchLabel: String
    let switchLang: String
    let scripts: [String]
    let user: SignedIn?
    let csrf: String?
}

/// What a template is rendered with: the frame's fields first (as the layout needs them), then
/// the page model's.
struct PageView: MustacheParent {
    let frame: FrameView
    let model: any PageModel

    func child(named name: String) -> Any? {
        switch name {
        case "lang": frame.lang
        case "t": frame.t
        case "title": frame.title
        case "path": frame.path
        case "switchHref": frame.switchHref
        case "switchLabel": frame.switchLabel
        case "switchLang": frame.switchLang
        case "scripts": frame.scripts
        case "user": frame.user
        case "csrf": frame.csrf
        default: Self.property(named: name, of: model)
        }
    }

    /// A stored property of `object` by name, with an optional's `nil` as no value.
    static func property(named name: String, of object: Any) -> Any? {
        if let parent = object as? any MustacheParent { return parent.child(named: name) }
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else {
            return nil
        }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
