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
    /// The model's stored properties by name, read once per render: a name a row of a list does
    /// not have is looked up here, for each row, and reflecting the model each time cost a tenth
    /// of the overview's render.
    private let fields: Fields

    private enum Fields {
        /// A model that gives its fields by name itself.
        case parent(any MustacheParent)
        /// A model's stored properties, reflected once.
        case reflected([String: Any])
    }

    init(frame: FrameView, model: any PageModel) {
        self.frame = frame
        self.model = model
        if let parent = model as? any MustacheParent {
            self.fields = .parent(parent)
        } else {
            var fields: [String: Any] = [:]
            for child in Mirror(reflecting: model).children {
                guard let label = child.label, let value = Self.unwrapped(child.value) else { continue }
                fields[label] = value
            }
            self.fields = .reflected(fields)
        }
    }

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
        default:
            switch fields {
            case .parent(let parent): parent.child(named: name)
            case .reflected(let fields): fields[name]
            }
        }
    }

    /// A value, or an optional's wrapped value (nil when it holds none).
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
