import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// A work plan from a file, through the API and the page: a dry run writes nothing, an import
/// creates tasks, a changed file revises them by code and keeps their reports and history, and a
/// bad file changes nothing and names every bad row.
@Suite struct WorkPlanImportTests {
    struct Summary: Decodable {
        struct Row: Decodable {
            let line: Int
            let code: String
            let action: String
            let changes: [String]
        }
        let dryRun: Bool
        let created: Int
        let updated: Int
        let unchanged: Int
        let rows: [Row]
    }
    struct Problem: Decodable {
        struct Error: Decodable {
            let line: Int?
            let field: String?
            let reason: String
        }
        let errors: [Error]
    }
    struct Task: Decodable {
        let title: String
        let titleEn: String?
        let deadline: String
        let priority: String
        let technologies: [String]
        let indicators: [String]
    }
    struct Detail: Decodable {
        let task: Task
        let reports: [TasksAPITests.ReportBody]
        let history: [TaskEvent]?
    }

    static let header =
        "code,title,title_en,lead_unit,coordinating_units,start,deadline,priority,technologies,indicators"
    static let plan = """
        \(header)
        WP-1,Kho dữ liệu dùng chung,Shared data store,01,BKHCN,2026-01-01,2026-12-31,high,du-lieu-lon;ai,DVC_TT
        WP-2,Thủ tục trực tuyến toàn trình,,01,,2026-01-01,2026-12-31,,,
        """

    static func importPlan(
        _ client: any TestClientProtocol, _ csv: String, dryRun: Bool = false, programme: String = "NQ57",
        as user: SignedIn
    ) async throws -> (HTTPResponse.Status, Data) {
        var headers = user.headers
        headers[.contentType] = "text/csv"
        return try await client.execute(
            uri: "/api/v1/workPlans?programme=\(programme)\(dryRun ? "&dryRun=true" : "")", method: .post,
            headers: headers, body: ByteBuffer(string: csv)
        ) { ($0.status, Data(buffer: $0.body)) }
    }

    @Test func aDryRunWritesNothingAndAnImportCreatesTheTasks() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            var (status, data) = try await Self.importPlan(client, Self.plan, dryRun: true, as: analyst)
            #expect(status == .ok)
            var summary = try JSONDecoder().decode(Summary.self, from: data)
            #expect(summary.dryRun && summary.created == 2 && summary.rows.map(\.line) == [2, 3])
            try await client.execute(uri: "/api/v1/tasks/WP-1", method: .get) { #expect($0.status == .notFound) }

            (status, data) = try await Self.importPlan(client, Self.plan, as: analyst)
            #expect(status == .ok)
            summary = try JSONDecoder().decode(Summary.self, from: data)
            #expect(!summary.dryRun && summary.created == 2)
            let task = try await client.json(Detail.self, "/api/v1/tasks/WP-1").task
            #expect(task.titleEn == "Shared data store" && task.priority == "high")
            #expect(task.technologies == ["du-lieu-lon", "ai"] && task.indicators == ["DVC_TT"])
            // The same file again changes nothing.
            (status, data) = try await Self.importPlan(client, Self.plan, as: analyst)
            summary = try JSONDecoder().decode(Summary.self, from: data)
            #expect(summary.unchanged == 2 && summary.created == 0 && summary.updated == 0)
        }
    }

    @Test func aChangedFileRevisesTasksByCodeAndKeepsTheirReportsAndHistory() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var (status, data) = try await Self.importPlan(client, Self.plan, as: analyst)
            #expect(status == .ok)
            (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks/WP-1/reports", ["unit": "01", "percent": 30, "narrative": "Đã khảo sát"],
                as: reporter)
            #expect(status == .created)

            let revised = Self.plan.replacingOccurrences(of: "Kho dữ liệu dùng chung", with: "Kho dữ liệu tỉnh")
                .replacingOccurrences(of: "2026-12-31,high", with: "2027-03-31,high")
            (status, data) = try await Self.importPlan(client, revised, as: analyst)
            #expect(status == .ok)
            let summary = try JSONDecoder().decode(Summary.self, from: data)
            #expect(summary.updated == 1 && summary.unchanged == 1)
            // A file without a deliverable column delivers the title.
            #expect(summary.rows.first?.changes == ["title", "deliverable", "deadline"])
            let detail = try await client.json(Detail.self, "/api/v1/tasks/WP-1", headers: analyst.headers)
            #expect(detail.task.title == "Kho dữ liệu tỉnh" && detail.task.deadline == "2027-03-31")
            #expect(detail.reports.map(\.unit) == ["01"])
            let kinds = detail.history?.map(\.kind) ?? []
            #expect(kinds.contains(.progressRecorded) && kinds.contains(.revised) && kinds.contains(.assigned))
            #expect(detail.history?.first { $0.kind == .revised }?.detail == "title, deliverable, deadline")
        }
    }

    @Test func aBadFileChangesNothingAndNamesEveryBadRow() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var (status, _) = try await Self.importPlan(client, Self.plan, as: analyst)
            #expect(status == .ok)
            (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks/WP-1/reports", ["unit": "01", "percent": 30, "narrative": "Đã khảo sát"],
                as: reporter)
            #expect(status == .created)
            // WP-1 would lose the lead unit that reported on it; WP-3 names an unknown indicator.
            let bad = """
                \(Self.header)
                WP-1,Kho dữ liệu dùng chung,,79,,2026-01-01,2026-12-31,,,
                WP-2,Thủ tục mới,,01,,2026-01-01,2026-12-31,,,
                WP-3,Nhiệm vụ mới,,01,,2026-01-01,2026-12-31,,,NOPE
                """
            let data: Data
            (status, data) = try await Self.importPlan(client, bad, as: analyst)
            #expect(status == .unprocessableContent)
            let problem = try JSONDecoder().decode(Problem.self, from: data)
            #expect(
                problem.errors.map { "\($0.line ?? 0) \($0.field ?? "")" } == ["2 lead_unit", "4 indicators"],
                "\(problem.errors.map(\.reason))")
            // Nothing changed: WP-2 keeps its title, WP-3 does not exist.
            #expect(
                try await client.json(Detail.self, "/api/v1/tasks/WP-2").task.title == "Thủ tục trực tuyến toàn trình")
            try await client.execute(uri: "/api/v1/tasks/WP-3", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func onlyWhoAssignsTasksImportsAWorkPlan() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let (status, _) = try await Self.importPlan(client, Self.plan, as: reporter)
            #expect(status == .forbidden)
            try await client.execute(
                uri: "/tasks/import", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/v1/tasks/WP-1", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// The page checks a file (the box is ticked by default) and answers in the reader's
    /// language; a refused file names its rows in Vietnamese; an import writes and says so.
    @Test func thePageChecksAndImportsAFileInTheReadersLanguage() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            func post(_ csv: String, dryRun: Bool) async throws -> (HTTPResponse.Status, String, String?) {
                let boundary = "----mandate-plan"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(analyst.csrf)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"programme\"\r\n\r\nNQ57\r\n"
                if dryRun { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\nyes\r\n" }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.csv\"\r\n"
                body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                return try await client.execute(
                    uri: "/tasks/import", method: .post,
                    headers: [
                        .cookie: "mandate_session=\(analyst.cookie)",
                        .contentType: "multipart/form-data; boundary=\(boundary)",
                    ], body: ByteBuffer(string: body)
                ) { ($0.status, String(buffer: $0.body), $0.headers[.location]) }
            }
            let form = try await TaskPagesTests.page(client, "/tasks/import", as: analyst)
            #expect(form.contains("id=\"work-plan-dry-run\"") && form.contains(" checked"))
            let tasks = try await TaskPagesTests.page(client, "/tasks", as: analyst)
            #expect(tasks.contains("href=\"/tasks/import\""))

            var (status, page, location) = try await post(Self.plan, dryRun: true)
            #expect(status == .ok)
            #expect(page.contains("sẽ tạo 2 nhiệm vụ") && page.contains("WP-1"))
            try await client.execute(uri: "/api/v1/tasks/WP-1", method: .get) { #expect($0.status == .notFound) }

            (status, page, _) = try await post(
                Self.plan.replacingOccurrences(of: ",BKHCN,", with: ",XX,"), dryRun: true)
            #expect(status == .unprocessableContent)
            #expect(page.contains("dòng 2, cột coordinating_units: không có đơn vị &quot;XX&quot;"))

            (status, _, location) = try await post(Self.plan, dryRun: false)
            #expect(status == .seeOther && location == "/tasks/import?created=2&updated=0&cancelled=0")
            page = try await TaskPagesTests.page(client, location ?? "", as: analyst)
            #expect(page.contains("Đã nhập: tạo 2 nhiệm vụ"))
            let task = try await TaskPagesTests.page(client, "/tasks/WP-1", as: analyst)
            #expect(task.contains("nhiệm vụ trọng tâm") && task.contains("href=\"/indicators/DVC_TT\""))
            // English pages show the English title where the plan gives one, the Vietnamese one otherwise.
            let english = try await TaskPagesTests.page(client, "/tasks/WP-1?lang=en", as: analyst)
            #expect(english.contains("<h1>Shared data store</h1>"))
            let list = try await TaskPagesTests.page(client, "/tasks?lang=en&search=WP-", as: analyst)
            #expect(list.contains("Shared data store") && list.contains("Thủ tục trực tuyến toàn trình"))
        }
    }
}
