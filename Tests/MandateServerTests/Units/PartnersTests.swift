import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Partner units added and edited by administrators, through the API and the partner form; a
/// partner leads a task like any unit.
@Suite struct PartnersTests {
    @Test func anAdministratorAddsAPartnerThatLeadsATask() async throws {
        try await withApp { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let partner: [String: Any] = [
                "code": "DN-VT", "name": "Tổng công ty Viễn thông (minh họa)", "type": "enterprise",
                "nameEn": "Telecom corporation (illustrative)",
            ]
            var (status, data) = try await TasksAPITests.post(client, "/api/v1/partners", partner, as: analyst)
            #expect(status == .forbidden)
            (status, data) = try await TasksAPITests.post(client, "/api/v1/partners", partner, as: admin)
            #expect(status == .created)
            let unit = try JSONDecoder().decode(OrgUnit.self, from: data)
            #expect(unit.kind == .partner && unit.type == "Doanh nghiệp" && unit.parentCode == "BCD")
            (status, _) = try await TasksAPITests.post(client, "/api/v1/partners", partner, as: admin)
            #expect(status == .conflict)
            // A province's code is not a partner's to edit; the body names the path's partner.
            var province = partner
            province["code"] = "01"
            try await client.execute(
                uri: "/api/v1/partners/01", method: .put, headers: admin.headers, body: TasksAPITests.body(province)
            ) { #expect($0.status == .unprocessableContent) }
            try await client.execute(
                uri: "/api/v1/partners/DN-VT", method: .put, headers: admin.headers, body: TasksAPITests.body(province)
            ) { #expect($0.status == .badRequest) }

            var task = TasksAPITests.newTask("DN-1")
            task["leadUnit"] = "DN-VT"
            task["coordinatingUnits"] = ["01"]
            (status, _) = try await TasksAPITests.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .created)
        }
    }

    @Test func thePartnerFormAddsAndEditsAPartnerInTheReadersLanguage() async throws {
        try await withApp { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var page = try await TaskPagesTests.page(client, "/units", as: admin)
            #expect(page.contains("id=\"partner-new-link\""))
            page = try await TaskPagesTests.page(client, "/units", as: reporter)
            #expect(!page.contains("id=\"partner-new-link\""))
            try await client.execute(
                uri: "/partners/new", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }

            var (status, text, location) = try await TaskPagesTests.post(
                client, "/partners/new", "code=VIEN+X&name=&type=institute", as: admin)
            #expect(status == .unprocessableContent)
            #expect(text.contains("name: tên có 1 đến 300 ký tự") && text.contains("code: mã có 1 đến 32"))
            (status, _, location) = try await TaskPagesTests.post(
                client, "/partners/new", "code=VIEN-X&name=Vi%E1%BB%87n+X&type=institute", as: admin)
            #expect(status == .seeOther && location == "/units/VIEN-X")
            page = try await TaskPagesTests.page(client, "/units/VIEN-X", as: admin)
            #expect(page.contains("Viện nghiên cứu") && page.contains("href=\"/partners/VIEN-X/edit\""))
            (status, _, location) = try await TaskPagesTests.post(
                client, "/partners/VIEN-X/edit", "name=Vi%E1%BB%87n+Y&nameEn=Institute+Y&type=university", as: admin)
            #expect(status == .seeOther)
            let unit = try await client.json(OrgUnit.self, "/api/v1/units/VIEN-X")
            #expect(unit.name == "Viện Y" && unit.nameEn == "Institute Y" && unit.type == "Trường đại học")
        }
    }
}
