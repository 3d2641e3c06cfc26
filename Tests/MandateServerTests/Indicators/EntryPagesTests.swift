import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MandateServer

@Suite struct EntryPagesTests {
    static func formHeaders(_ user: SignedIn) -> HTTPFields {
        [.cookie: "mandate_session=\(user.cookie)", .contentType: "application/x-www-form-urlencoded"]
    }

    @Test func aUnitsFormListsItsIndicatorsWithTargetsAndSavesDrafts() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let page = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(reporter)
            ) { response in
                #expect(response.status == .ok)
                return response.text
            }
            // The quarterly indicators of a province, with the 2026 target of the end-to-end share.
            #expect(page.contains(#"id="value_DVC_TT""#) && page.contains(#"id="value_NS_GIAINGAN""#))
            #expect(!page.contains(#"id="value_DTI_CQS""#))
            #expect(page.contains(#"<td class="num">80</td>"#))
            #expect(page.contains("số liệu minh họa"))

            let breaking = "_csrf=\(reporter.csrf)&period=2026Q1&value_DVC_TS=100&value_DVC_TT_SO=150"
            try await client.execute(
                uri: "/units/01/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: breaking)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("Chưa lưu gì"))
                #expect(response.text.contains("Số dịch vụ toàn trình không vượt quá tổng số dịch vụ công trực tuyến"))
                #expect(response.text.contains(#"name="value_DVC_TT_SO" value="150""#))
            }
            let good =
                "_csrf=\(reporter.csrf)&period=2026Q1&value_DVC_TS=500&value_DVC_TT_SO=150&comment_DVC_TS=ghi+ch%C3%BA"
            try await client.execute(
                uri: "/units/01/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: good)
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/units/01/entry?period=2026Q1&saved=2")
            }
            let after = try await client.execute(
                uri: "/units/01/entry?period=2026Q1&saved=2", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(after.contains(#"name="value_DVC_TS" value="500""#))
            #expect(after.contains(#"name="comment_DVC_TS" value="ghi chú""#))
            #expect(after.contains("Đã lưu 2 giá trị"))
            // The demo had approved values here: the saved ones are corrections waiting for approval,
            // and the approved ones stay public meanwhile.
            #expect(after.contains("<td>Đính chính chờ phê duyệt (giá trị công khai: "))
        }
    }

    @Test func aReporterCannotOpenOrPostAnotherUnitsForm() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            try await client.execute(
                uri: "/units/79/entry?period=2026Q1", method: .get, headers: Self.formHeaders(reporter)
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/units/79/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: "_csrf=\(reporter.csrf)&period=2026Q1&value_DVC_TS=1")
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/units/01/entry?period=2026Q9", method: .get, headers: Self.formHeaders(reporter)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("a quarter is Q1 to Q4"))
            }
        }
    }
}

extension EntryPagesTests {
    /// Numbers are read as the page's language writes them, shown back the same way, and an entry
    /// that could mean two numbers is refused with what to write, keeping what was typed.
    @Test func numbersAreTypedAndShownTheLanguagesWay() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            func post(_ fields: String, language: String) async throws -> TestResponse {
                var headers = Self.formHeaders(reporter)
                headers[.cookie] = "mandate_session=\(reporter.cookie); lang=\(language)"
                return try await client.execute(
                    uri: "/units/01/entry", method: .post, headers: headers,
                    body: ByteBuffer(string: "_csrf=\(reporter.csrf)&period=2026Q1&" + fields)
                ) { $0 }
            }
            // 1.234 on a Vietnamese page: a thousand and more, or a decimal written the English way.
            let unclear = try await post("value_DVC_TS=1.234&value_DVC_TT=75.2", language: "vi")
            #expect(unclear.status == .unprocessableContent)
            #expect(unclear.text.contains("“1.234” chưa rõ nghĩa: hãy viết 1234 nếu là số nguyên, hoặc 1,234"))
            #expect(unclear.text.contains("Trong tiếng Việt, dấu thập phân là dấu phẩy: hãy viết 75,2"))
            #expect(unclear.text.contains(#"name="value_DVC_TS" value="1.234""#))
            let english = try await post("value_DVC_TT=75,2", language: "en")
            #expect(english.status == .unprocessableContent)
            #expect(english.text.contains("In English the decimal separator is a point: write 75.2"))

            #expect(try await post("value_DVC_TS=1.234.000&value_DVC_TT=75%2C2", language: "vi").status == .seeOther)
            let shown = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(shown.contains(#"name="value_DVC_TS" value="1234000""#))
            #expect(shown.contains(#"name="value_DVC_TT" value="75,2""#))
        }
    }

    /// Without a period asked for, the form opens on the one now due; the periods offered are
    /// those that have begun, by frequency, the one due marked.
    @Test func theFormOffersThePeriodsThatHaveBegun() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2026-12-07T02:00:00Z")
        try await withApp(arguments) { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let page = try await client.execute(
                uri: "/units/01/entry", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(page.contains("<h1>Nhập số liệu: Thành phố Hà Nội, 2026Q3</h1>"))
            #expect(page.contains(#"<option value="2026Q3" selected>2026Q3 (đến hạn)</option>"#))
            #expect(page.contains(#"<option value="2026Q4">2026Q4</option>"#))
            #expect(page.contains(#"<option value="2025Q1">2025Q1</option>"#))
            #expect(!page.contains(#"<option value="2027Q1">"#) && !page.contains(#"<option value="2024Q4">"#))
            // An older period asked for is listed too, selected.
            let older = try await client.execute(
                uri: "/units/01/entry?period=2023Q2", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(older.contains(#"<option value="2023Q2" selected>2023Q2</option>"#))
        }
    }

    /// A value for a quarter that has not begun is refused, through the form and the API alike.
    @Test func aPeriodThatHasNotBegunTakesNoValue() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2026-12-07T02:00:00Z")
        try await withApp(arguments) { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            try await client.execute(
                uri: "/units/01/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: "_csrf=\(reporter.csrf)&period=2027Q1&value_DVC_TS=500")
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("2027Q1 has not begun"))
            }
            let body = #"{"indicator":"DVC_TS","unit":"01","period":"2027Q1","value":"500"}"#
            try await client.execute(
                uri: "/api/v1/dataValues", method: .post, headers: reporter.headers, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("2027Q1 has not begun"))
            }
            let now = #"{"indicator":"DVC_TS","unit":"01","period":"2026Q4","value":"500"}"#
            try await client.execute(
                uri: "/api/v1/dataValues", method: .post, headers: reporter.headers, body: ByteBuffer(string: now)
            ) { response in
                #expect(response.status == .created || response.status == .ok)
            }
        }
    }

    @Test func theHeadApprovesTheDraftsAndSavingTheFormAgainKeepsWhatItDidNotChange() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let link = "https%3A%2F%2Fexample.vn%2Fbc.pdf"
            let first =
                "_csrf=\(reporter.csrf)&period=2026Q1&value_DVC_TS=500&comment_DVC_TS=ghi+ch%C3%BA"
                + "&evidence_DVC_TS=\(link)&value_DVC_TT_SO=150"
            try await client.execute(
                uri: "/units/01/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: first)
            ) { #expect($0.status == .seeOther) }
            // The reporter may not approve; the head sees how many drafts wait and approves them.
            let reporterPage = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(!reporterPage.contains(#"id="entry-approve""#))
            try await client.execute(
                uri: "/units/01/entry/approve", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: "_csrf=\(reporter.csrf)&period=2026Q1")
            ) { #expect($0.status == .forbidden) }
            let headPage = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(head)
            ) { $0.text }
            #expect(headPage.contains("Phê duyệt 2 giá trị nháp"))
            #expect(headPage.contains(#"name="evidence_DVC_TS" value="https://example.vn/bc.pdf""#))
            // Approving first shows what would become public and asks to confirm; nothing is public yet.
            try await client.execute(
                uri: "/units/01/entry/approve", method: .post, headers: Self.formHeaders(head),
                body: ByteBuffer(string: "_csrf=\(head.csrf)&period=2026Q1")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Công khai các giá trị này?"))
                #expect(
                    response.text.contains(
                        #"<th scope="row">Số dịch vụ công trực tuyến</th><td class="num">500 dịch vụ</td><td>ghi chú</td>"#
                    ))
                #expect(response.text.contains(#"name="confirmed" value="yes""#))
            }
            let unconfirmed = try await client.json(
                DataValueSetBody.self, "/api/v1/dataValues?indicator=DVC_TS,DVC_TT_SO&unit=01&period=2026Q1")
            #expect(unconfirmed.dataValues.map(\.value) != ["500", "150"])
            try await client.execute(
                uri: "/units/01/entry/approve", method: .post, headers: Self.formHeaders(head),
                body: ByteBuffer(string: "_csrf=\(head.csrf)&period=2026Q1&confirmed=yes")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/units/01/entry?period=2026Q1&approved=2")
            }
            let published = try await client.json(
                DataValueSetBody.self, "/api/v1/dataValues?indicator=DVC_TS,DVC_TT_SO&unit=01&period=2026Q1")
            #expect(published.dataValues.count == 2)

            // The reporter corrects one value and sends the whole form again, as a browser does: the
            // other value keeps its comment, evidence and approval.
            let page = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(reporter)
            ) { $0.text }
            #expect(page.contains(#"name="comment_DVC_TS" value="ghi chú""#))
            let again =
                "_csrf=\(reporter.csrf)&period=2026Q1&value_DVC_TS=500&comment_DVC_TS=ghi+ch%C3%BA"
                + "&evidence_DVC_TS=\(link)&value_DVC_TT_SO=160&comment_DVC_TT_SO=&evidence_DVC_TT_SO="
            try await client.execute(
                uri: "/units/01/entry", method: .post, headers: Self.formHeaders(reporter),
                body: ByteBuffer(string: again)
            ) { response in
                #expect(response.headers[.location] == "/units/01/entry?period=2026Q1&saved=1")
            }
            let after = try await client.json(
                DataValueSetBody.self, "/api/v1/dataValues?indicator=DVC_TS,DVC_TT_SO&unit=01&period=2026Q1")
            #expect(after.dataValues.first?.evidence == "https://example.vn/bc.pdf")
            #expect(after.dataValues.first?.comment == "ghi chú")
            // The correction waits for the head: the approved value stays public until then.
            #expect(after.dataValues.map(\.dataElement) == ["DVC_TS", "DVC_TT_SO"])
            #expect(after.dataValues.last?.value == published.dataValues.last?.value)
            let waiting = try await client.execute(
                uri: "/units/01/entry?period=2026Q1", method: .get, headers: Self.formHeaders(head)
            ) { $0.text }
            #expect(waiting.contains(#"name="value_DVC_TT_SO" value="160""#))
            #expect(waiting.contains("Phê duyệt 1 giá trị nháp"))
            try await client.execute(
                uri: "/units/01/entry/approve", method: .post, headers: Self.formHeaders(head),
                body: ByteBuffer(string: "_csrf=\(head.csrf)&period=2026Q1&confirmed=yes")
            ) { response in
                #expect(response.headers[.location] == "/units/01/entry?period=2026Q1&approved=1")
            }
            let corrected = try await client.json(
                DataValueSetBody.self, "/api/v1/dataValues?indicator=DVC_TT_SO&unit=01&period=2026Q1")
            #expect(corrected.dataValues.map(\.value) == ["160"])
        }
    }

    struct DataValueSetBody: Decodable {
        struct Item: Decodable {
            let dataElement: String
            let value: String
            let comment: String?
            let evidence: String?
        }
        let dataValues: [Item]
    }
}
