import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import Mustache

/// Renders pages from Mustache templates (loaded once, at start) on the shared layout.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let catalogues: Catalogues

    public static func load() async throws -> PageRenderer {
        let directory = try ServerResources.path("templates")
        let library = try await MustacheLibrary(directory: directory.path)
        guard library.getTemplate(named: "layout") != nil else {
            throw AppError(.internalServerError, "missing-templates", "No templates in \(directory.path)")
        }
        return PageRenderer(library: library, catalogues: try .load())
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
        _ template: String, frame: Frame, data: [String: Any], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        Self.response(
            html: try html(template, frame: frame, data: data), signedIn: frame.identity != nil, status: status)
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
    func html(_ template: String, frame: Frame, data: [String: Any]) throws -> String {
        var object = data
        object["lang"] = frame.language.rawValue
        object["t"] = catalogues.table(frame.language)
        object["title"] = frame.title
        object["path"] = frame.request.uri.path
        object["switchHref"] = Self.switchHref(frame.request, to: frame.language.other)
        object["switchLabel"] = catalogues.text("language_switch", frame.language)
        object["switchLang"] = frame.language.other.rawValue
        object["scripts"] = frame.scripts
        if let identity = frame.identity {
            object["user"] = [
                "displayName": identity.user.displayName, "email": identity.user.email,
                "role": catalogues.text("role_\(identity.user.role.rawValue)", frame.language),
                "unitCode": identity.user.unitCode,
            ]
            object["csrf"] = identity.csrfToken ?? ""
        }
        guard let html = library.render(object, withTemplate: template) else {
            throw AppError(.internalServerError, "missing-template", "No template \(template)")
        }
        return html
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
