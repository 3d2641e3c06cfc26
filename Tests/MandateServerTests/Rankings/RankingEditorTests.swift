import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import NIOCore
import Testing

@testable import MandateServer

/// The ranking method editor: the method as JSON with its weights normalised, a preview beside
/// the current version before anything is saved, and saving as the next version.
@Suite struct RankingEditorTests {
    @Test func aMethodIsPreviewedBesideItsCurrentVersionThenSavedAsTheNext() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            try await client.execute(
                uri: "/rankings/methods/edit?method=province-dti", method: .get,
                headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }
            var page = try await TaskPagesTests.page(client, "/rankings", as: analyst)
            #expect(page.contains("id=\"editor-form\""))
            page = try await TaskPagesTests.page(client, "/rankings/methods/edit?method=province-dti", as: analyst)
            #expect(page.contains("id=\"editor-json\"") && page.contains("id=\"editor-weights\""))
            let current = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            // The shares shown are the weights scaled to 100 %.
            let sum = current.pillars.reduce(0) { $0 + $1.weight }
            let first = NumberText.format(current.pillars[0].weight / sum * 100, .vi) + " %"
            #expect(page.contains(first))

            var edited = current
            edited.pillars[0].weight *= 3
            let json = String(decoding: try JSONEncoder().encode(edited), as: UTF8.self)
            func form(_ action: String, _ json: String) -> String {
                "method=province-dti&period=2025&action=\(action)&json=\(json.formEncoded)"
            }
            var (status, text, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("preview", json), as: analyst)
            #expect(status == .ok)
            #expect(text.contains("id=\"editor-preview\"") && text.contains("Hà Nội"))
            // Nothing is saved by a preview.
            #expect(
                try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti").version
                    == current.version)

            (status, text, _) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("preview", "{\"id\": 1}"), as: analyst)
            #expect(status == .unprocessableContent && text.contains("id=\"editor-problems\""))

            (status, _, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("save", json), as: analyst)
            #expect(status == .seeOther && location == "/rankings/methods/edit?method=province-dti&done=saved")
            let saved = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            #expect(saved.version == current.version + 1 && saved.pillars[0].weight == current.pillars[0].weight * 3)
        }
    }

    /// The fields a form of `html` sends as the page fills them (text inputs and hidden fields,
    /// the selected option of each select; unticked boxes and files send nothing).
    static func fields(of html: String, form id: String) -> [(name: String, value: String)] {
        guard let start = html.range(of: "<form id=\"\(id)\""),
            let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let form = String(html[start.lowerBound..<end.lowerBound])
        func unescaped(_ text: Substring) -> String {
            String(text).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        var fields: [(String, String)] = []
        for input in form.matches(of: #/<input ([^>]*)>/#) {
            let attributes = input.1
            guard !attributes.contains("type=\"checkbox\""), !attributes.contains("type=\"file\""),
                let name = attributes.firstMatch(of: #/name="([^"]*)"/#)?.1
            else { continue }
            fields.append((unescaped(name), unescaped(attributes.firstMatch(of: #/value="([^"]*)"/#)?.1 ?? "")))
        }
        for select in form.matches(of: #/<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>/#) {
            let chosen = select.2.firstMatch(of: #/<option value="([^"]*)" selected>/#)?.1
            fields.append((unescaped(select.1), unescaped(chosen ?? "")))
        }
        return fields
    }

    static func encoded(_ fields: [(name: String, value: String)]) -> String {
        fields.filter { $0.name != "_csrf" }.map { "\($0.name.formEncoded)=\($0.value.formEncoded)" }
            .joined(separator: "&")
    }

    /// The form shows the method field by field in the page's language; what it sends back,
    /// with a weight changed, a component added in the blank slot and one removed, is previewed
    /// with scores and then saved as the next version.
    @Test func theFormEditsTheMethodFieldByField() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let current = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            let page = try await TaskPagesTests.page(client, "/rankings/methods/edit?method=province-dti", as: analyst)
            var fields = Self.fields(of: page, form: "editor-fields")
            func set(_ name: String, _ value: String) {
                if let index = fields.firstIndex(where: { $0.name == name }) {
                    fields[index].value = value
                } else {
                    fields.append((name, value))
                }
            }
            let value = { (name: String) in fields.first { $0.name == name }?.value }
            #expect(value("pillars[0].weight") == WrittenNumber.written(current.pillars[0].weight, .vi))
            #expect(value("pillars[1].components[1].alternatives") == "minMax rank")
            #expect(value("pillars[3].components[0].normalisation") == "goalposts")
            // The blank pillar and the blank component of each pillar are offered.
            #expect(value("pillars[5].code") == "" && value("pillars[3].components[3].code") == "")
            #expect(value("pillars[4].components[0].source") == "satisfaction:overall")
            #expect(value("pseudoRatings") == "30" && page.contains("<option value=\"satisfaction:staff\">"))
            #expect(page.contains("<datalist id=\"editor-sources\">") && page.contains("<option value=\"DTI_CQS\">"))

            set("pillars[0].weight", "62,5")
            set("pillars[3].components[3].code", "DEL_DAYS_LATE")
            set("pillars[3].components[3].source", "delivery:mean_days_late")
            set("pillars[3].components[3].weight", "1")
            set("pillars[3].components[3].direction", "lower")
            set("pillars[3].components[3].normalisation", "goalposts")
            set("pillars[3].components[3].normalisation.max", "90")
            set("pillars[3].components[3].normalisation.min", "0")
            set("pillars[2].components[1].remove", "yes")
            set("period", "2025")
            set("action", "preview")
            var (status, text, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", Self.encoded(fields), as: analyst)
            #expect(status == .ok)
            #expect(text.contains("id=\"editor-preview\"") && text.contains("Điểm, theo bản sửa"))
            #expect(!text.contains("id=\"editor-problems\""))
            // The JSON beside the fields is the method the fields make.
            #expect(text.contains("DEL_DAYS_LATE") && text.contains("mean_days_late"))
            #expect(
                try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti").version
                    == current.version)

            set("action", "save")
            (status, _, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", Self.encoded(fields), as: analyst)
            #expect(status == .seeOther && location == "/rankings/methods/edit?method=province-dti&done=saved")
            let saved = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            #expect(saved.version == current.version + 1 && saved.pillars[0].weight == 62.5)
            #expect(saved.pillars[2].components.map(\.code) == ["XHS_DTI"])
            let added = saved.pillars[3].components.last
            #expect(added?.source == .delivery(.meanDaysLate) && added?.direction == .lower)
            #expect(added?.normalisation == .goalposts(min: 0, max: 90))
        }
    }

    /// A field that cannot be used is named beside itself, in the reader's language, and nothing
    /// is saved; a method uploaded as a JSON file is saved like a typed one.
    @Test func problemsStandBesideTheirFieldsAndAFileCanBeUploaded() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let current = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            for (language, message) in [
                ("vi", "“ba mươi” không phải là số. Hãy viết"), ("en", "“ba mươi” is not a number. Write it"),
            ] {
                let page = try await TaskPagesTests.page(
                    client, "/rankings/methods/edit?method=province-dti&lang=\(language)", as: analyst)
                var fields = Self.fields(of: page, form: "editor-fields")
                let index = try #require(fields.firstIndex { $0.name == "pillars[1].weight" })
                fields[index].value = "ba mươi"
                fields.append(("action", "save"))
                let (status, text, _) = try await TaskPagesTests.post(
                    client, "/rankings/methods/edit?lang=\(language)", Self.encoded(fields), as: analyst)
                #expect(status == .unprocessableContent)
                #expect(text.contains("aria-describedby=\"m-pillars-1--weight-error\""))
                #expect(text.contains("<span id=\"m-pillars-1--weight-error\" class=\"field-error\">\(message)"))
                // What was typed is shown again.
                #expect(text.contains("value=\"ba mươi\""))
            }
            #expect(
                try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti").version
                    == current.version)

            var edited = current
            edited.pillars[1].weight = 12
            let json = String(decoding: try JSONEncoder().encode(edited), as: UTF8.self)
            let boundary = "----mandate-method"
            var body = ""
            for (name, value) in [
                ("_csrf", analyst.csrf), ("mode", "json"), ("method", "province-dti"), ("action", "save"),
            ] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"method.json\"\r\n"
            body += "Content-Type: application/json\r\n\r\n\(json)\r\n--\(boundary)--\r\n"
            let location = try await client.execute(
                uri: "/rankings/methods/edit", method: .post,
                headers: [
                    .cookie: "mandate_session=\(analyst.cookie)",
                    .contentType: "multipart/form-data; boundary=\(boundary)",
                ], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .seeOther)
                return response.headers[.location]
            }
            #expect(location == "/rankings/methods/edit?method=province-dti&done=saved")
            let saved = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            #expect(saved.version == current.version + 1 && saved.pillars[1].weight == 12)
        }
    }

    /// A programme's page lists the ranking methods that measure its work, with their latest
    /// publication.
    @Test func aProgrammesPageListsItsRankings() async throws {
        try await withApp { client in
            let page = try await TaskPagesTests.page(client, "/programmes/NQ57?lang=en")
            #expect(page.contains("id=\"programme-rankings\""))
            struct Methods: Decodable { let items: [RankingMethod] }
            let methods = try await client.json(Methods.self, "/api/v1/ranking-methods").items
            #expect(!methods.isEmpty)
            for method in methods { #expect(page.contains(method.nameEn)) }
        }
    }
}
