import HTTPTypes
import Hummingbird
import MandateCore

/// Scripts of this app's own origin a page may load.
enum PageScript: String, Sendable {
    /// Follows live events and fetches the page again when one concerns it (`data-live`).
    case live = "/static/js/live.js"
    /// Checks inclusion proofs in the browser.
    case transparency = "/static/js/transparency.js"
}

/// One page request as its handler sees it: the language and its strings, numbers written the
/// language's way, and the page rendered on the frame every page shares. The one place these
/// helpers live; every capability's pages use it.
struct PageRequest {
    let request: Request
    let context: AppRequestContext
    let renderer: PageRenderer

    init(_ request: Request, _ context: AppRequestContext, _ renderer: PageRenderer) {
        self.request = request
        self.context = context
        self.renderer = renderer
    }

    var language: Language { context.language }
    var identity: Identity? { context.identity }
    var user: User? { context.identity?.user }

    /// The string `key` in the page's language.
    func t(_ key: String) -> String { renderer.text(key, language) }

    /// The string `key` with each `{name}` replaced by its value.
    func t(_ key: String, _ values: KeyValuePairs<String, String>) -> String {
        values.reduce(t(key)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// A number with at most two decimals, in the page's language.
    func number(_ value: Double) -> String { NumberText.format(value, language) }

    /// A whole number, grouped the language's way.
    func number(_ value: Int) -> String { value.formatted(language) }

    /// `row` drawn with `template` in the page's language.
    func row(_ template: RowTemplate, _ row: TrendRow) -> RowHTML { renderer.row(template, row, language) }

    func frame(title: String, scripts: [PageScript] = []) -> PageRenderer.Frame {
        PageRenderer.Frame(
            request: request, language: language, identity: identity, title: title, scripts: scripts.map(\.rawValue))
    }

    /// The page as a response (private for a signed-in reader, kept at the edge for anyone else).
    func page(
        _ template: PageTemplate, title: String, model: some PageModel, scripts: [PageScript] = [],
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try renderer.render(template, frame: frame(title: title, scripts: scripts), model: model, status: status)
    }

    /// Part of a page, drawn as for a reader not signed in (the same for every reader), for a
    /// page that keeps it and draws only the frame around it per reader.
    func fragment(_ template: PageTemplate, model: some PageModel) -> String {
        renderer.html(
            template,
            frame: PageRenderer.Frame(request: request, language: language, identity: nil, title: ""), model: model)
    }

    /// The page's HTML alone, for pages kept once for every anonymous reader.
    func html(_ template: PageTemplate, title: String, model: some PageModel, scripts: [PageScript] = []) -> String {
        renderer.html(template, frame: frame(title: title, scripts: scripts), model: model)
    }
}
