import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Indicators defined and edited through the committee's form, with the API's checks and each
/// problem named by its field in the reader's language; numbers typed the page's way.
@Suite struct IndicatorFormTests {
    @Test func theCommitteeDefinesAndEditsAnIndicatorThroughTheForm() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var page = try await TaskPagesTests.page(client, "/indicators", as: analyst)
            #expect(page.contains("id=\"indicator-new-link\""))
            page = try await TaskPagesTests.page(client, "/indicators", as: reporter)
            #expect(!page.contains("id=\"indicator-new-link\""))
            try await client.execute(
                uri: "/indicators/new", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }

            // Every problem at once, in Vietnamese: a target written the English way, a percentage
            // over 100, a weighted mean without its weight, no reporting unit kind.
            let bad =
                "code=CDS.X&nameVi=T%E1%BB%B7+l%E1%BB%87+s%E1%BB%91&nameEn=Digital+share&unitOfMeasure=%25"
                + "&valueType=percent&direction=higher&frequency=yearly&rollup=weightedMean&denominator="
                + "&targets=2026+%7C+75.5%0A2030+%7C+120&dueDays=30"
            var (status, text, location) = try await TaskPagesTests.post(client, "/indicators/new", bad, as: analyst)
            #expect(status == .unprocessableContent)
            #expect(text.contains("targets: dòng 1: hãy viết"))
            #expect(text.contains("targets: 2030: tỷ lệ phần trăm từ 0 đến 100"))
            #expect(text.contains("rollup.denominator: bình quân gia quyền cần một chỉ tiêu làm trọng số"))
            #expect(text.contains("appliesTo: chọn ít nhất một loại đơn vị báo cáo"))
            #expect(text.contains("value=\"Digital share\""))

            let good =
                "code=CDS.X&nameVi=T%E1%BB%B7+l%E1%BB%87+s%E1%BB%91&nameEn=Digital+share&unitOfMeasure=%25"
                + "&valueType=percent&direction=higher&frequency=yearly&rollup=mean&denominator="
                + "&appliesTo=province&appliesTo=commune&targets=2026+%7C+75%2C5%0A2030+%7C+90&dueDays=45"
            (status, _, location) = try await TaskPagesTests.post(client, "/indicators/new", good, as: analyst)
            #expect(status == .seeOther && location == "/indicators/CDS.X")
            var indicator = try await client.json(Indicator.self, "/api/v1/indicators/CDS.X")
            #expect(indicator.appliesTo == [.province, .commune] && indicator.dueDays == 45)
            #expect(
                indicator.targets == [IndicatorTarget(year: 2026, value: 75.5), IndicatorTarget(year: 2030, value: 90)])
            (status, _, _) = try await TaskPagesTests.post(client, "/indicators/new", good, as: analyst)
            #expect(status == .conflict)

            // The edit form shows the targets the page's way and saves a change.
            page = try await TaskPagesTests.page(client, "/indicators/CDS.X/edit", as: analyst)
            #expect(page.contains("2026 | 75,5"))
            (status, _, location) = try await TaskPagesTests.post(
                client, "/indicators/CDS.X/edit", good.replacingOccurrences(of: "dueDays=45", with: "dueDays=60"),
                as: analyst)
            #expect(status == .seeOther)
            indicator = try await client.json(Indicator.self, "/api/v1/indicators/CDS.X")
            #expect(indicator.dueDays == 60)
            page = try await TaskPagesTests.page(client, "/indicators/CDS.X", as: analyst)
            #expect(page.contains("href=\"/indicators/CDS.X/edit\""))
        }
    }

    @Test func theRulesOfAnIndicatorAreKeptThroughItsPage() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            try await client.execute(
                uri: "/indicators/DVC_TT/rules", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }
            var page = try await TaskPagesTests.page(client, "/indicators/DVC_TT", as: analyst)
            #expect(page.contains("href=\"/indicators/DVC_TT/rules\""))

            // A range written the English way, and a comparison with an unknown indicator.
            var (status, text, location) = try await TaskPagesTests.post(
                client, "/indicators/DVC_TT/rules", "code=TT.MAX&kind=range&minimum=0&maximum=99.5&message=",
                as: analyst)
            #expect(status == .unprocessableContent)
            #expect(text.contains("maximum: &quot;99.5&quot; không phải số viết theo cách của trang này"))
            (status, text, _) = try await TaskPagesTests.post(
                client, "/indicators/DVC_TT/rules", "code=TT.CMP&kind=compare&comparison=%3C%3D&other=NOPE&message=x",
                as: analyst)
            #expect(status == .unprocessableContent && text.contains("other: không có chỉ tiêu mã &quot;NOPE&quot;"))

            (status, _, location) = try await TaskPagesTests.post(
                client, "/indicators/DVC_TT/rules",
                "code=TT.MAX&kind=range&minimum=0&maximum=99%2C5&message=T%E1%BB%B7+l%E1%BB%87+qu%C3%A1+cao",
                as: analyst)
            #expect(status == .seeOther && location == "/indicators/DVC_TT/rules?done=saved")
            struct Rules: Decodable { let items: [ValidationRule] }
            let saved = try await client.json(Rules.self, "/api/v1/validationRules").items.first { $0.code == "TT.MAX" }
            #expect(saved?.maximum == 99.5 && saved?.minimum == 0 && saved?.indicator == "DVC_TT")
            page = try await TaskPagesTests.page(client, "/indicators/DVC_TT/rules?rule=TT.MAX", as: analyst)
            #expect(page.contains("value=\"99,5\"") && page.contains("TT.MAX"))

            (status, _, location) = try await TaskPagesTests.post(
                client, "/indicators/DVC_TT/rules/TT.MAX/delete", "", as: analyst)
            #expect(status == .seeOther && location == "/indicators/DVC_TT/rules?done=deleted")
            let left = try await client.json(Rules.self, "/api/v1/validationRules").items
            #expect(!left.contains { $0.code == "TT.MAX" })
        }
    }
}
