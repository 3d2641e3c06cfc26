import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import Mustache

/// The pages' templates; each is resolved once, at start, and a missing one stops the start.
enum PageTemplate: String, CaseIterable, Sendable {
    case account, entry, error, escalation, help, home, indicator, indicators, login, methodology
    /// The escalation board's content, drawn once per task data version for every reader.
    case escalationBoard = "escalation-board"
    case openData = "open-data"
    case rankingCompare = "ranking-compare"
    case ranking, rankings, recommendations
    case taskNew = "task-new"
    case passwordReset = "password-reset"
    case unitAccounts = "unit-accounts"
    case task, tasks, transparency, unit, units, work
    case workPlan = "work-plan"
    case programme, programmes
    case programmeForm = "programme-form"
    case partnerForm = "partner-form"
    case indicatorForm = "indicator-form"
    case indicatorRules = "indicator-rules"
    case rankingEditor = "ranking-editor"
    case feedbackForm = "feedback-form"
    case feedbackReceipt = "feedback-receipt"
    case feedbackModeration = "feedback-moderation"
    case feedbackReport = "feedback-report"
    case feedbackAnswers = "feedback-answers"
    case catalogue
    case catalogueEntry = "catalogue-entry"
    case catalogueForm = "catalogue-form"
    case catalogueImport = "catalogue-import"
    case catalogueAudit = "catalogue-audit"
    case catalogueExpectations = "catalogue-expectations"
}

/// Renders pages from Mustache templates (resolved once, at start) on the shared layout.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let templates: [PageTemplate: MustacheTemplate]
    let catalogues: Catalogues
    let rows: [RowTemplate: MustacheTemplate]
    /// Rows drawn once (`RowKey`), at most 8,192.
    let fragments = BoundedTable<RowKey, String>(capacity: 8192)

    public static func load() async throws -> PageRenderer {
        let directory = try ServerResources.path("templates")
        let library = try await MustacheLibrary(directory: directory.path)
        var templates: [PageTemplate: MustacheTemplate] = [:]
        for name in PageTemplate.allCases {
            guard let template = library.getTemplate(named: name.rawValue) else {
                throw AppError(.internalServerError, "missing-template", "No template \(name.rawValue)")
            }
            templates[name] = template
        }
        var rows: [RowTemplate: MustacheTemplate] = [:]
        for name in RowTemplate.allCases {
            guard let template = library.getTemplate(named: name.rawValue) else {
                throw AppError(.internalServerError, "missing-template", "No template \(name.rawValue)")
            }
            rows[name] = template
        }
        guard library.getTemplate(named: "layout") != nil else {
            throw AppError(.internalServerError, "missing-templates", "No layout in \(directory.path)")
        }
        return PageRenderer(library: library, templates: templates, catalogues: try .load(), rows: rows)
    }

    /// What every page shows around its content.
    struct Frame {
        var request: Request
        var language: Language
        var identity: Identity?
        /// The page title, already localised.
        var title: String
        /// Scripts of this app's own origin the page loads (deferred), e.g. `/static/js/….js`.
        var scripts: [String] = []
    }

    func render(
        _ template: PageTemplate, frame: Frame, model: some PageModel, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        Self.response(
            html: html(template, frame: frame, model: model), signedIn: frame.identity != nil, status: status)
    }

    /// A rendered page as a response: private and never stored for a signed-in reader. Anyone
    /// else's browser revalidates it each time (its ETag then spares the body), and the edge
    /// keeps it until the next commit.
    static func response(html: String, signedIn: Bool, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = signedIn ? "private, no-store" : "no-cache"
        if !signedIn { headers[.edgeKeep] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page's HTML.
    func html(_ template: PageTemplate, frame: Frame, model: some PageModel) -> String {
        render(template, PageView(frame: frameView(frame), model: model))
    }

    private func render(_ template: PageTemplate, _ view: PageView) -> String {
        // Every case is resolved at start (`load`).
        templates[template]?.render(view, library: library) ?? ""
    }

    /// `row` drawn with `template` in `language`, as kept from an earlier page that showed the same.
    func row(_ template: RowTemplate, _ row: TrendRow, _ language: Language) -> RowHTML {
        RowHTML(
            html: fragments.value(for: RowKey(template: template, language: language, row: row)) {
                rows[template]?.render(RowView(row: row, t: catalogues.table(language)), library: library) ?? ""
            })
    }

    func frameView(_ frame: Frame) -> FrameView {
        let language = frame.language
        return FrameView(
            lang: language.rawValue, t: catalogues.table(language), title: frame.title, path: frame.request.uri.path,
            switchHref: Self.switchHref(frame.request, to: language.other),
            switchLabel: catalogues.text("language_switch", language), switchLang: language.other.rawValue,
            scripts: frame.scripts,
            user: frame.identity.map {
                FrameView.SignedIn(
                    displayName: $0.user.displayName, email: $0.user.email,
                    role: catalogues.text("role_\($0.user.role.rawValue)", language), unitCode: $0.user.unitCode)
            },
            csrf: frame.identity.map { $0.csrfToken ?? "" })
    }

    func text(_ key: String, _ language: Language) -> String {
        catalogues.text(key, language)
    }

    /// The same page in another language: the same path and query, with `lang` replaced.
    static func switchHref(_ request: Request, to language: Language) -> String {
        var items = request.uri.queryParameters.filter { $0.key != "lang" }.map {
            "\(String($0.key).formEncoded)=\(String($0.value).formEncoded)"
        }
        items.append("lang=\(language.rawValue)")
        return request.uri.path + "?" + items.joined(separator: "&")
    }
}

extension String {
    /// Percent-encoded for a query string component.
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
