import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MandateServer

@Suite struct PagesTests {
    @Test func directorySearchIgnoresDiacriticsInVietnameseByDefault() async throws {
        try await withApp { client in
            let plain = try await client.execute(uri: "/units?q=ha+noi", method: .get) { $0.text }
            let accented = try await client.execute(uri: "/units?q=H%C3%A0+N%E1%BB%99i", method: .get) { $0.text }
            #expect(plain.contains("<html lang=\"vi\">"))
            #expect(plain.contains(#"<a href="/units/01">Thành phố Hà Nội</a>"#))
            #expect(Self.results(plain) == Self.results(accented))
            #expect(plain.contains("Danh bạ đơn vị"))
            #expect(plain.contains(#"id="unit-search" name="q" type="search" value="ha noi""#))
        }
    }

    @Test func theDWithStrokeMatchesPlainD() async throws {
        try await withApp { client in
            let stroke = try await client.execute(uri: "/units?kind=province&q=%C4%91%C3%A0+n%E1%BA%B5ng", method: .get)
            { $0.text }
            let plain = try await client.execute(uri: "/units?kind=province&q=da+nang", method: .get) { $0.text }
            #expect(Self.results(stroke) == ["/units/48"])
            #expect(Self.results(plain) == ["/units/48"])
        }
    }

    @Test func englishSwitchKeepsThePageAndIsRemembered() async throws {
        try await withApp { client in
            let cookie = try await client.execute(uri: "/units/01?lang=en", method: .get) { response in
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains("Units below"))
                #expect(response.text.contains(#"id="lang-switch" href="/units/01?lang=vi""#))
                return try #require(response.cookie(named: "lang")).value
            }
            #expect(cookie == "en")
            try await client.execute(uri: "/units", method: .get, headers: [.cookie: "lang=en"]) { response in
                #expect(
                    response.text.contains("<html lang=\"en\">") && response.text.contains("<h1>Unit directory</h1>"))
            }
        }
    }

    @Test func aProvincePageListsItsCommunes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/units/01", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.text
                #expect(text.contains("<h1>Thành phố Hà Nội</h1>"))
                #expect(text.contains(#"<table id="unit-children">"#))
                #expect(text.contains(#"<a href="/units/00004">Phường Ba Đình</a>"#))
            }
            try await client.execute(uri: "/units/08", method: .get) { response in
                #expect(response.text.contains(#"<a href="/units/pre2025-02">Tỉnh Hà Giang</a>"#))
                #expect(!response.text.contains("Tên tiếng Anh"))
            }
            try await client.execute(uri: "/units/BKHCN?lang=en", method: .get) { response in
                #expect(response.text.contains("Ministry of Science and Technology"))
                #expect(!response.text.contains("km²"))
            }
        }
    }

    /// A province lists its communes fifty at a time: following the pager's links from the first
    /// page gives every unit the API lists under it, once, in order.
    @Test func aProvincesCommunesArePagedAndThePagesCoverThemAll() async throws {
        try await withApp { client in
            let all = try await client.json(UnitsAPITests.PageBody.self, "/api/v1/units?parent=01&limit=1000")
            #expect(all.total > DirectoryPages.childrenPageSize * 2)
            let regex = try NSRegularExpression(pattern: #"<td>([^<]+)</td><td><a href="/units/"#)
            var listed: [String] = []
            var next: String? = "/units/01"
            var pages = 0
            while let uri = next, pages < 10 {
                let html = try await client.execute(uri: uri, method: .get, headers: [.cookie: "lang=en"]) { $0.text }
                let table = html.components(separatedBy: #"<table id="unit-children">"#).last ?? ""
                let codes = regex.matches(in: table, range: NSRange(table.startIndex..., in: table)).compactMap {
                    Range($0.range(at: 1), in: table).map { String(table[$0]) }
                }
                #expect(codes.count <= DirectoryPages.childrenPageSize)
                let from = listed.count + 1
                #expect(html.contains("\(from)–\(listed.count + codes.count) of \(all.total)"), "\(uri)")
                #expect(html.contains(#"rel="prev""#) == (pages > 0), "\(uri)")
                listed += codes
                next = PagesTests.first(#"<a href="([^"]+)" rel="next">"#, in: html)?
                    .replacingOccurrences(of: "&amp;", with: "&")
                pages += 1
            }
            #expect(listed == all.items.map(\.code))
            // A search narrows the list and its pages keep it.
            let found = try await client.execute(uri: "/units/01?q=ba%20dinh&lang=en", method: .get) { $0.text }
            #expect(found.contains(#"<a href="/units/00004">Phường Ba Đình</a>"#) && !found.contains(#"rel="next""#))
        }
    }

    static func first(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    @Test func loginFormNeedsItsCSRFTokenAndStartsASession() async throws {
        try await withApp { client in
            let csrf = try await client.execute(uri: "/login", method: .get) { response in
                let cookie = try #require(response.cookie(named: "mandate_csrf"))
                #expect(response.text.contains(#"name="_csrf" value="\#(cookie.value)""#))
                return cookie.value
            }
            let form = "email=admin%40demo.mandate.vn&password=mandate-demo"
            let formHeaders: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded", .cookie: "mandate_csrf=\(csrf)",
            ]
            try await client.execute(uri: "/login", method: .post, headers: formHeaders, body: ByteBuffer(string: form))
            {
                response in
                #expect(response.status == .forbidden)
                #expect(response.cookie(named: "mandate_session") == nil)
            }
            try await client.execute(
                uri: "/login", method: .post, headers: formHeaders, body: ByteBuffer(string: form + "&_csrf=wrong")
            ) { response in
                #expect(response.status == .forbidden)
            }
            let session = try await client.execute(
                uri: "/login", method: .post, headers: formHeaders, body: ByteBuffer(string: form + "&_csrf=\(csrf)")
            ) { response in
                #expect(response.status == .seeOther)
                return try #require(response.cookie(named: "mandate_session")).value
            }
            try await client.execute(uri: "/units", method: .get, headers: [.cookie: "mandate_session=\(session)"]) {
                response in
                #expect(response.text.contains(#"<form id="logout-form""#))
                #expect(response.headers[.cacheControl] == "private, no-store")
            }
        }
    }

    @Test func wrongPasswordShowsTheFormAgainWithAnError() async throws {
        try await withApp { client in
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "mandate_csrf=abc"]
            try await client.execute(
                uri: "/login", method: .post, headers: headers,
                body: ByteBuffer(string: "email=admin%40demo.mandate.vn&password=nope&_csrf=abc")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.text.contains(#"id="login-error""#))
                #expect(response.text.contains(#"value="admin@demo.mandate.vn""#))
            }
        }
    }

    @Test func userInputIsEscaped() async throws {
        try await withApp { client in
            try await client.execute(uri: "/units?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get) { response in
                #expect(!response.text.contains("<script>alert(1)</script>"))
                #expect(response.text.contains("&lt;script&gt;"))
            }
        }
    }

    /// The unit links in the results list, in order.
    static func results(_ html: String) -> [String] {
        guard let start = html.range(of: #"<ul id="unit-results""#),
            let end = html.range(of: "</ul>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let list = html[start.upperBound..<end.lowerBound]
        return list.components(separatedBy: #"<li><a href=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}

extension PagesTests {
    /// An error page lists each problem (its field and reason), not only the summary.
    @Test func anErrorPageListsEachProblem() async throws {
        try await withApp { client in
            try await client.execute(uri: "/tasks?status=bogus", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains(#"<ul class="errors">"#))
                #expect(response.text.contains("<li>status: expected one of"))
            }
        }
    }
}
