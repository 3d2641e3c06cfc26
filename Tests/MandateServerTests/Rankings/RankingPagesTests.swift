import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

@Suite struct RankingPagesTests {
    static func formHeaders(_ user: SignedIn) -> HTTPFields {
        [.cookie: "mandate_session=\(user.cookie)", .contentType: "application/x-www-form-urlencoded"]
    }

    @Test func theCommitteeDraftsComparesAndPublishesAndEveryoneReadsThePublishedRanking() async throws {
        try await withApp { client in
            let anonymous = try await client.execute(uri: "/rankings?lang=en", method: .get) { response in
                #expect(response.status == .ok)
                return response.text
            }
            // The demo's illustrative publications are listed; the committee's tools are not.
            #expect(
                anonymous.contains("/rankings/province-dti/2025?version=1") && !anonymous.contains("committee-tools"))
            try await client.execute(uri: "/rankings/draft?method=province-dti&period=2025", method: .get) {
                #expect($0.status == .unauthorized)
            }
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            try await client.execute(
                uri: "/rankings/draft?method=province-dti&period=2025", method: .get, headers: Self.formHeaders(viewer)
            ) { #expect($0.status == .forbidden) }

            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let index = try await client.execute(uri: "/rankings", method: .get, headers: Self.formHeaders(analyst)) {
                $0.text
            }
            #expect(index.contains(#"id="committee-tools""#) && index.contains("Bản nháp xếp hạng"))
            let draft = try await client.execute(
                uri: "/rankings/draft?method=province-dti&period=2025&previous=2024&lang=en", method: .get,
                headers: Self.formHeaders(analyst)
            ) { response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(draft.contains(#"id="draft-notice""#) && draft.contains(#"id="publish-form""#))
            #expect(draft.contains(#"<tr id="unit-01">"#) && draft.contains("Hà Nội"))
            #expect(draft.contains("Digital government") && draft.contains("over 1,000 draws"))

            let mixed = try await client.execute(
                uri: "/rankings/compare?a=province-dti&b=ministry-delivery&period=2025", method: .get,
                headers: Self.formHeaders(analyst)
            ) { $0.text }
            #expect(mixed.contains("Hai phương pháp xếp hạng hai loại đơn vị khác nhau"))
            let compare = try await client.execute(
                uri: "/rankings/compare?a=province-dti&b=province-dti-geometric&period=2025", method: .get,
                headers: Self.formHeaders(analyst)
            ) { $0.text }
            #expect(!compare.contains("Hai phương pháp xếp hạng hai loại đơn vị khác nhau"))
            #expect(compare.contains(#"<tr id="unit-79">"#) && compare.contains("trung bình nhân"))
            // Each row shows both ranks and rank B − rank A, as the drafts have them.
            struct Draft: Decodable { let result: RankingResult }
            func rank(_ method: String) async throws -> Int {
                let draft = try await client.json(
                    Draft.self, "/api/v1/rankings/\(method)/2025/draft", headers: analyst.headers)
                return draft.result.unit("01")?.rank ?? 0
            }
            let (a, b) = (try await rank("province-dti"), try await rank("province-dti-geometric"))
            #expect(a > 0 && b > 0)
            let start = try #require(compare.range(of: #"<tr id="unit-01">"#))
            let end = try #require(compare.range(of: "</tr>", range: start.upperBound..<compare.endIndex))
            let row = compare[start.lowerBound..<end.upperBound]
            let difference = b - a > 0 ? "+\(b - a)" : "\(b - a)"
            #expect(
                row.hasPrefix(
                    #"<tr id="unit-01"><th scope="row"><a href="/units/01">Thành phố Hà Nội</a></th><td class="num">\#(a)</td>"#
                ))
            #expect(row.contains(#"<td class="num">\#(b)</td>"#))
            #expect(row.hasSuffix(#"<td class="num">\#(difference)</td></tr>"#))

            // Publishing needs the box ticked that confirms the ranking was checked.
            let unconfirmed = "_csrf=\(analyst.csrf)&method=province-dti&period=2025&previous=2024"
            try await client.execute(
                uri: "/rankings/publish", method: .post, headers: Self.formHeaders(analyst),
                body: ByteBuffer(string: unconfirmed)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("Chưa công bố gì: hãy đánh dấu ô xác nhận"))
            }
            #expect(
                draft.contains(#"<input type="checkbox" id="publish-confirm" name="confirmed" value="yes" required>"#))
            let form = unconfirmed + "&confirmed=yes"
            try await client.execute(
                uri: "/rankings/publish", method: .post, headers: Self.formHeaders(analyst),
                body: ByteBuffer(string: form)
            ) { response in
                #expect(response.status == .seeOther)
                // The demo published version 1.
                #expect(response.headers[.location] == "/rankings/province-dti/2025?version=2")
            }
            let published = try await client.json(PublishedRanking.self, "/api/v1/rankings/province-dti/2025")
            let page = try await client.execute(uri: "/rankings/province-dti/2025?version=2", method: .get) {
                response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(page.contains(published.inputDigest) && page.contains(#"id="inputs-link""#))
            #expect(
                page.contains(
                    "mandate rank --method province-dti-2025-v2-method.json --data province-dti-2025-v2-inputs.csv"
                        + " --units province-dti-2025-v2-units.csv --period 2025 --previous 2024"))
            #expect(page.contains(#"href="/api/v1/rankings/province-dti/2025/units?version=2""#))
            #expect(!page.contains("publish-form"))
            let first = try #require(published.result.units.first)
            let interval = try #require(first.interval)
            #expect(page.contains("\(interval.low)–\(interval.high)"))
            let list = try await client.execute(uri: "/rankings", method: .get) { $0.text }
            #expect(list.contains(#"href="/rankings/province-dti/2025?version=2""#))
        }
    }

    /// The value of the hidden field `name` of the page's publish form.
    static func hidden(_ html: String, _ name: String) throws -> String {
        let marker = #"name="\#(name)" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        return String(html[start..<end])
    }

    static func page(
        _ client: some TestClientProtocol, _ uri: String, as user: SignedIn? = nil, method: HTTPRequest.Method = .get,
        form: String? = nil
    ) async throws -> (status: HTTPResponse.Status, text: String, location: String?) {
        try await client.execute(
            uri: uri, method: method, headers: user.map(Self.formHeaders) ?? [:],
            body: form.map { ByteBuffer(string: $0) }
        ) { ($0.status, $0.text, $0.headers[.location]) }
    }

    @Test func thePublishFormPublishesOnlyTheDraftShown() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let draftURI = "/rankings/draft?method=province-dti&period=2025&previous=2024"
            let shown = try await Self.page(client, draftURI, as: analyst).text
            let digest = try Self.hidden(shown, "expectedInputsDigest")
            #expect(try Self.hidden(shown, "methodVersion") == "1")
            #expect(shown.contains(#"<code id="input-digest">\#(digest)</code>"#))
            func form(_ html: String) throws -> String {
                try ["methodVersion", "expectedInputsDigest", "expectedMethodDigest"].reduce(
                    "_csrf=\(analyst.csrf)&method=province-dti&period=2025&previous=2024&confirmed=yes"
                ) { "\($0)&\($1)=\(try Self.hidden(html, $1))" }
            }
            let shownForm = try form(shown)

            // A value approved in between: the new draft is shown, with what changed; nothing is published.
            try await RankingPublicationTests.approveNewValue(client, "0.99")
            let refused = try await Self.page(client, "/rankings/publish", as: analyst, method: .post, form: shownForm)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains(#"id="draft-changed""#))
            #expect(refused.text.contains("Dữ liệu hoặc phương pháp đã thay đổi kể từ khi bản nháp được hiển thị"))
            let newDigest = try Self.hidden(refused.text, "expectedInputsDigest")
            #expect(newDigest != digest)
            #expect(
                refused.text.contains("Dữ liệu đầu vào đã thay đổi: SHA-256 nay là \(newDigest) (trước là \(digest))"))
            #expect(try await RankingPublicationTests.versions(client) == [1])
            let english = try await Self.page(
                client, "/rankings/publish?lang=en", as: analyst, method: .post, form: shownForm)
            #expect(english.status == .conflict)
            #expect(english.text.contains("The data or the method changed since the draft was shown"))
            #expect(english.text.contains("The inputs changed: their SHA-256 is now \(newDigest) (it was \(digest))."))

            // A new version of the method in between.
            var method = try #require(
                try await client.json(RankingMethod?.self, "/api/v1/ranking-methods/province-dti"))
            method.version = 2
            method.pillars[0].weight = 45
            let saved = try await RankingPublicationTests.post(
                client, "/api/v1/ranking-methods", String(decoding: try JSONEncoder().encode(method), as: UTF8.self),
                as: analyst)
            #expect(saved.status == .created)
            let again = try await Self.page(
                client, "/rankings/publish?lang=en", as: analyst, method: .post, form: try form(refused.text))
            #expect(again.status == .conflict)
            #expect(again.text.contains("The method has a new version, 2; the draft shown was of version 1."))
            #expect(try Self.hidden(again.text, "methodVersion") == "2")
            #expect(try await RankingPublicationTests.versions(client) == [1])

            // The draft shown last is published.
            let published = try await Self.page(
                client, "/rankings/publish", as: analyst, method: .post, form: try form(again.text))
            #expect(published.status == .seeOther)
            #expect(published.location == "/rankings/province-dti/2025?version=2")
            let ranking = try await client.json(PublishedRanking.self, "/api/v1/rankings/province-dti/2025")
            #expect(ranking.method.version == 2 && ranking.inputDigest == newDigest)
        }
    }

    @Test func aPeriodThatHasNotBegunIsRefusedByThePages() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2026-12-05T09:00:00.000Z")
        try await withApp(arguments) { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let draft = try await Self.page(client, "/rankings/draft?method=province-dti&period=2031", as: analyst)
            #expect(draft.status == .unprocessableContent)
            #expect(
                draft.text.contains("period: 2031 has not begun: it begins on 2031-01-01, after today (2026-12-05)"))
            let form = "_csrf=\(analyst.csrf)&method=province-dti&period=2031&previous=&confirmed=yes"
            let publish = try await Self.page(client, "/rankings/publish", as: analyst, method: .post, form: form)
            #expect(publish.status == .unprocessableContent)
            #expect(publish.text.contains("period: 2031 has not begun"))
            #expect(
                try await client.json(
                    RankingPublicationTests.Items<RankingPublicationTests.Summary>.self, "/api/v1/rankings"
                ).items.count == 2)
        }
    }

    @Test func thePagesSayWhichComponentsThePeriodComparedWithLacks() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let english = try await Self.page(
                client, "/rankings/draft?method=province-dti&period=2024&lang=en", as: analyst)
            #expect(english.status == .ok)
            #expect(
                english.text.contains(
                    #"<p id="previous-missing" class="notice">2023 has no value for CQS_DTI (Digital government), "#
                        + "KTS_DTI (Digital economy), KTS_BUDGET (Digital economy), XHS_DTI (Digital society), "
                        + "XHS_ENGINEERS (Digital society), HL_OVERALL (Citizens&#39; satisfaction (illustrative ratings)), "
                        + "HL_STAFF (Citizens&#39; satisfaction (illustrative ratings)), which 2024 has"))
            #expect(english.text.contains("The periods compared do not have the same components"))
            let vietnamese = try await Self.page(
                client, "/rankings/draft?method=province-dti&period=2024&lang=vi", as: analyst)
            #expect(
                vietnamese.text.contains("Kỳ 2023 không có số liệu của CQS_DTI (Chính quyền số), KTS_DTI (Kinh tế số)"))
            let form = "_csrf=\(analyst.csrf)&method=province-dti&period=2024&previous=&confirmed=yes"
            let published = try await Self.page(client, "/rankings/publish", as: analyst, method: .post, form: form)
            #expect(published.status == .seeOther)
            let page = try await Self.page(client, "/rankings/province-dti/2024?version=1&lang=en")
            #expect(
                page.text.contains(#"id="previous-missing""#) && page.text.contains("2023 has no value for CQS_DTI"))
        }
    }

    @Test func anOlderVersionsPageLinksToTheVersionThatSupersedesIt() async throws {
        try await withApp { client in
            let uri = "/rankings/province-dti/2025?version=1&lang=en"
            // Read once before the new version, as a visitor's cached copy would be.
            #expect(!(try await Self.page(client, uri).text.contains("superseded-notice")))
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let published = try await RankingPublicationTests.post(
                client, "/api/v1/rankings/province-dti/2025/publish", #"{"previousPeriod": "2024"}"#, as: analyst)
            #expect(published.status == .created)
            let second = try JSONDecoder().decode(PublishedRanking.self, from: Data(buffer: published.body))
            let older = try await Self.page(client, uri).text
            #expect(
                older.contains(
                    "This is version 1, which a newer version supersedes: version 2, published at "
                        + "\(HanoiTime.text(second.publishedAt, .en))."
                ))
            #expect(older.contains(#"<a id="latest-link" href="/rankings/province-dti/2025?version=2">"#))
            let vietnamese = try await Self.page(client, "/rankings/province-dti/2025?version=1&lang=vi").text
            #expect(vietnamese.contains("Đây là phiên bản 1, đã được thay thế bởi phiên bản mới hơn: phiên bản 2"))
            #expect(
                !(try await Self.page(client, "/rankings/province-dti/2025?version=2&lang=en").text.contains(
                    "superseded-notice")))
        }
    }

    @Test func theIntervalNoteGivesTheMethodsWeightSpread() async throws {
        try await withApp { client in
            let demo = try await Self.page(client, "/rankings/province-dti/2025?version=1&lang=en").text
            #expect(demo.contains("draws that perturb the weights (±25%)"))
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            var method = try #require(
                try await client.json(RankingMethod?.self, "/api/v1/ranking-methods/province-dti"))
            method.version = 2
            method.uncertainty = .init(draws: 200, seed: 57, weightSpread: 0.125)
            let saved = try await RankingPublicationTests.post(
                client, "/api/v1/ranking-methods", String(decoding: try JSONEncoder().encode(method), as: UTF8.self),
                as: analyst)
            #expect(saved.status == .created)
            let draft = "/rankings/draft?method=province-dti&period=2025&previous=2024"
            let english = try await Self.page(client, draft + "&lang=en", as: analyst).text
            #expect(english.contains("over 200 draws that perturb the weights (±12.5%)"))
            let vietnamese = try await Self.page(client, draft + "&lang=vi", as: analyst).text
            #expect(vietnamese.contains("qua 200 lần mô phỏng thay đổi trọng số (±12,5%)"))
        }
    }
}
