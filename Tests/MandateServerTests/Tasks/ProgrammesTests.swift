import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Programmes defined as data through the API and the pages: created, edited and archived by the
/// committee only; an archived programme takes no new tasks; a work plan fills a new programme.
@Suite struct ProgrammesTests {
    static var draft: [String: Any] {
        [
            "code": "CDS-HN", "nameVi": "Kế hoạch chuyển đổi số thành phố",
            "nameEn": "City digital transformation plan",
            "legalBasis": [
                "title": "Kế hoạch của Ủy ban nhân dân thành phố", "number": "15/KH-UBND", "date": "2026-01-15",
            ],
            "startYear": 2026, "endYear": 2030,
            "orientations": [
                ["number": 1, "titleVi": "Hạ tầng số", "titleEn": "Digital infrastructure"],
                ["number": 2, "titleVi": "Dữ liệu số", "titleEn": "Digital data"],
            ],
        ]
    }

    static func put(
        _ client: any TestClientProtocol, _ uri: String, _ object: Any, as user: SignedIn
    ) async throws -> (HTTPResponse.Status, Data) {
        try await client.execute(uri: uri, method: .put, headers: user.headers, body: TasksAPITests.body(object)) {
            ($0.status, Data(buffer: $0.body))
        }
    }

    @Test func theCommitteeDefinesEditsAndArchivesAProgrammeThroughTheAPI() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var (status, _) = try await TasksAPITests.post(client, "/api/v1/programmes", Self.draft, as: reporter)
            #expect(status == .forbidden)
            var data: Data
            (status, data) = try await TasksAPITests.post(client, "/api/v1/programmes", Self.draft, as: analyst)
            #expect(status == .created)
            var programme = try JSONDecoder().decode(Programme.self, from: data)
            #expect(programme.legalBasis?.number == "15/KH-UBND" && programme.orientations.count == 2)
            (status, _) = try await TasksAPITests.post(client, "/api/v1/programmes", Self.draft, as: analyst)
            #expect(status == .conflict)

            // A task under orientation 2; the orientation then stays through an edit.
            var task = TasksAPITests.newTask("CDS-1")
            task["programme"] = "CDS-HN"
            task["orientation"] = 2
            (status, _) = try await TasksAPITests.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .created)
            var edited = Self.draft
            edited["nameEn"] = "Digital city plan"
            edited["orientations"] = [["number": 1, "titleVi": "Hạ tầng số", "titleEn": ""]]
            (status, data) = try await Self.put(client, "/api/v1/programmes/CDS-HN", edited, as: analyst)
            #expect(status == .unprocessableContent)
            #expect(String(decoding: data, as: UTF8.self).contains("orientation 2"))
            edited["orientations"] = [["number": 2, "titleVi": "Dữ liệu số và nền tảng", "titleEn": "Data"]]
            (status, data) = try await Self.put(client, "/api/v1/programmes/CDS-HN", edited, as: analyst)
            #expect(status == .ok)
            programme = try await client.json(Programme.self, "/api/v1/programmes/CDS-HN")
            #expect(programme.nameEn == "Digital city plan" && programme.orientations.map(\.number) == [2])

            // Archived, it takes no new task; opened again, it does.
            (status, _) = try await TasksAPITests.post(client, "/api/v1/programmes/CDS-HN/archive", nil, as: analyst)
            #expect(status == .ok)
            #expect(try await client.json(Programme.self, "/api/v1/programmes/CDS-HN").archivedAt != nil)
            task["code"] = "CDS-2"
            (status, data) = try await TasksAPITests.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .unprocessableContent)
            #expect(String(decoding: data, as: UTF8.self).contains("no open programme"))
            (status, _) = try await TasksAPITests.post(client, "/api/v1/programmes/CDS-HN/restore", nil, as: analyst)
            #expect(status == .ok)
            (status, _) = try await TasksAPITests.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .created)
        }
    }

    @Test func thePagesDefineAProgrammeAndShowItsOrientationsTasksAndIndicators() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            var page = try await TaskPagesTests.page(client, "/programmes")
            #expect(page.contains("href=\"/programmes/NQ57\"") && page.contains("57-NQ/TW"))
            #expect(!page.contains("id=\"programme-new-link\""))
            page = try await TaskPagesTests.page(client, "/programmes/new", as: analyst)
            #expect(page.contains("id=\"programme-form\""))

            func form(_ fields: [String: String]) -> String {
                fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&")
            }
            var fields = [
                "code": "CDS-HN", "nameVi": "Kế hoạch chuyển đổi số", "nameEn": "Digital plan",
                "basisTitle": "Kế hoạch của UBND thành phố", "basisNumber": "15/KH-UBND", "basisDate": "2026-01-15",
                "startYear": "2026", "endYear": "2025", "orientations": "1 | Hạ tầng số | Infrastructure\nhai dòng",
            ]
            var (status, text, location) = try await TaskPagesTests.post(
                client, "/programmes/new", form(fields), as: analyst)
            #expect(status == .unprocessableContent)
            #expect(text.contains("endYear: năm kết thúc trước năm bắt đầu"))
            #expect(text.contains("dòng 2: hãy viết"))
            #expect(text.contains("value=\"Kế hoạch chuyển đổi số\""))
            fields["endYear"] = "2030"
            fields["orientations"] = "1 | Hạ tầng số | Infrastructure\n2 | Dữ liệu số"
            (status, _, location) = try await TaskPagesTests.post(client, "/programmes/new", form(fields), as: analyst)
            #expect(status == .seeOther && location == "/programmes/CDS-HN?done=created")

            // A work plan fills it; its page counts the tasks by orientation and lists the indicators.
            let plan = """
                code,title,lead_unit,start,deadline,orientation,indicators
                CDS-1,Kết nối mạng cấp xã,01,2026-01-01,2026-12-31,1,DVC_TT
                CDS-2,Kho dữ liệu thành phố,01,2026-01-01,2026-12-31,2,
                CDS-3,Trung tâm dữ liệu,01,2026-01-01,2026-12-31,1,
                """
            let (planned, _) = try await WorkPlanImportTests.importPlan(client, plan, programme: "CDS-HN", as: analyst)
            #expect(planned == .ok)
            page = try await TaskPagesTests.page(client, "/programmes/CDS-HN")
            #expect(page.contains("15/KH-UBND") && page.contains("2026–2030"))
            #expect(page.contains("href=\"/tasks?programme=CDS-HN&amp;orientation=1\">Nhiệm vụ: 2</a>"))
            #expect(page.contains("href=\"/indicators/DVC_TT\""))
            #expect(!page.contains("programme-archive-form"))

            (status, _, location) = try await TaskPagesTests.post(
                client, "/programmes/CDS-HN/archive", "archived=yes", as: analyst)
            #expect(status == .seeOther && location == "/programmes/CDS-HN?done=archived")
            page = try await TaskPagesTests.page(client, "/programmes/CDS-HN?done=archived", as: analyst)
            #expect(page.contains("id=\"programme-archived\"") && page.contains("Đã lưu trữ chương trình."))
        }
    }
}
