import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

@Suite struct TaskPagesTests {
    static func form(_ user: SignedIn) -> HTTPFields {
        [.cookie: "mandate_session=\(user.cookie)", .contentType: "application/x-www-form-urlencoded"]
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, as user: SignedIn? = nil) async throws -> String {
        try await client.execute(uri: uri, method: .get, headers: user.map(form) ?? [:]) { response in
            #expect(response.status == .ok, "GET \(uri)")
            return response.text
        }
    }

    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ body: String, as user: SignedIn
    ) async throws -> (HTTPResponse.Status, String, String?) {
        try await client.execute(
            uri: uri, method: .post, headers: form(user), body: ByteBuffer(string: "_csrf=\(user.csrf)&" + body)
        ) { ($0.status, $0.text, $0.headers[.location]) }
    }

    @Test func listsArePublicBilingualAndStartFromTheOfficialsOwnUnit() async throws {
        try await withApp { client in
            let everyone = try await Self.page(client, "/tasks")
            #expect(everyone.contains("NQ57-CTCT-01") && everyone.contains("NQ57-CTCT-04"))
            #expect(everyone.contains("Thời hạn"))
            let english = try await Self.page(client, "/tasks?lang=en&status=overdue")
            #expect(english.contains("Deadline") && english.contains("Overdue"))
            #expect(!english.contains("Accepted on time</span>"))
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let mine = try await Self.page(client, "/tasks", as: reporter)
            #expect(mine.contains("NQ57-CSDL-01") && !mine.contains("NQ57-CSDL-04"))
            #expect(try await Self.page(client, "/tasks?search=danh+muc+co+so").contains("NQ57-CSDL-79"))
            let board = try await Self.page(client, "/escalation")
            #expect(board.contains(#"id="overdue-units""#) && board.contains("quá hạn"))
            #expect(try await Self.page(client, "/recommendations?lang=en").contains("Recommendations"))
        }
    }

    @Test func officialsReportSubmitAndTheCommitteeAcceptsThroughTheForms() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let deadline = AppClock().today().adding(days: 20).description
            let (created, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("FORM-1", deadline: deadline), as: analyst)
            #expect(created == .created)

            var page = try await Self.page(client, "/tasks/FORM-1", as: reporter)
            #expect(page.contains(#"id="progress-form""#))
            #expect(!page.contains("accept-report"))
            var (status, text, location) = try await Self.post(
                client, "/tasks/FORM-1/progress", "unit=01&percent=140&narrative=x", as: reporter)
            #expect(status == .unprocessableContent)
            #expect(text.contains("a percent is between 0 and 100"))
            (status, _, location) = try await Self.post(
                client, "/tasks/FORM-1/progress",
                "unit=01&percent=100&narrative=%C4%90%C3%A3+ho%C3%A0n+th%C3%A0nh&links=https%3A%2F%2Fhanoi.gov.vn%2Fbc",
                as: reporter)
            #expect(status == .seeOther)
            #expect(location == "/tasks/FORM-1?done=progress")
            page = try await Self.page(client, "/tasks/FORM-1?done=progress", as: reporter)
            #expect(page.contains("Đã hoàn thành") && page.contains("hanoi.gov.vn"))
            let id = try #require(Self.reportId(in: page))

            // An evidence file through the upload form (multipart, with the CSRF token as a field).
            let boundary = "----mandate-test"
            let upload =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(reporter.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bien-ban.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nbiên bản\r\n--\(boundary)--\r\n"
            try await client.execute(
                uri: "/tasks/FORM-1/reports/\(id)/files", method: .post,
                headers: [
                    .cookie: "mandate_session=\(reporter.cookie)",
                    .contentType: "multipart/form-data; boundary=\(boundary)",
                ], body: ByteBuffer(string: upload)
            ) { response in
                #expect(response.status == .seeOther)
            }
            page = try await Self.page(client, "/tasks/FORM-1", as: reporter)
            #expect(page.contains("bien-ban.txt") && page.contains(SHA256Hex.of(Data("biên bản".utf8))))

            // The reporter cannot submit; the head can.
            (status, text, _) = try await Self.post(client, "/tasks/FORM-1/reports/\(id)/submit", "", as: reporter)
            #expect(status == .forbidden)
            #expect(text.contains("only the unit head may submit reports"))
            (status, _, _) = try await Self.post(client, "/tasks/FORM-1/reports/\(id)/submit", "", as: head)
            #expect(status == .seeOther)

            page = try await Self.page(client, "/tasks/FORM-1", as: analyst)
            #expect(page.contains("accept-report"))
            (status, text, _) = try await Self.post(
                client, "/tasks/FORM-1/reports/\(id)/decide", "decision=return&comment=", as: analyst)
            #expect(status == .unprocessableContent)
            #expect(text.contains("say why the report is returned"))
            (status, _, _) = try await Self.post(
                client, "/tasks/FORM-1/reports/\(id)/decide", "decision=accept&comment=%C4%90%E1%BA%A1t", as: analyst)
            #expect(status == .seeOther)
            (status, text, _) = try await Self.post(
                client, "/tasks/FORM-1/reports/\(id)/decide", "decision=accept", as: analyst)
            #expect(status == .conflict)
            #expect(text.contains("was already accepted"))

            page = try await Self.page(client, "/tasks/FORM-1?lang=en", as: head)
            #expect(page.contains(#"status-accepted_on_time">Accepted on time"#))
            #expect(page.contains(#"id="task-history""#) && page.contains("Report accepted"))
            // The public sees the accepted report, without who wrote it, and no history.
            let anonymous = try await Self.page(client, "/tasks/FORM-1")
            #expect(anonymous.contains("Đã hoàn thành") && !anonymous.contains("Cán bộ báo cáo Hà Nội"))
            #expect(!anonymous.contains(#"id="task-history""#))
        }
    }

    @Test func extensionsAndRecommendationsThroughTheForms() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let today = AppClock().today()
            _ = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("FORM-2", deadline: today.adding(days: 5).description),
                as: analyst)
            var (status, text, _) = try await Self.post(
                client, "/tasks/FORM-2/extensions", "deadline=\(today.adding(days: 2))&reason=x", as: reporter)
            #expect(status == .unprocessableContent)
            #expect(text.contains("must be after the current one"))
            (status, _, _) = try await Self.post(
                client, "/tasks/FORM-2/extensions", "deadline=\(today.adding(days: 35))&reason=Ch%E1%BB%9D",
                as: reporter)
            #expect(status == .seeOther)
            let page = try await Self.page(client, "/tasks/FORM-2", as: analyst)
            let extensionId = try #require(
                page.range(of: #"id="extension-([^"]+)""#, options: .regularExpression).map {
                    String(page[$0].dropFirst(#"id="extension-"#.count).dropLast())
                })
            (status, _, _) = try await Self.post(
                client, "/tasks/FORM-2/extensions/\(extensionId)/decide", "decision=grant", as: analyst)
            #expect(status == .seeOther)
            let after = try await Self.page(client, "/tasks/FORM-2")
            #expect(after.contains(#"id="task-deadline"><time datetime="\#(today.adding(days: 5))""#))
            #expect(after.contains(#"id="task-effective-deadline"><time datetime="\#(today.adding(days: 35))""#))

            (status, _, _) = try await Self.post(
                client, "/recommendations",
                "toUnit=BCD&title=%C4%90%E1%BB%81+ngh%E1%BB%8B+h%C6%B0%E1%BB%9Bng+d%E1%BA%ABn&body=&due=\(today.adding(days: 10))",
                as: reporter)
            #expect(status == .seeOther)
            (status, text, _) = try await Self.post(
                client, "/recommendations", "toUnit=NOPE&title=x&body=&due=\(today.adding(days: 10))", as: reporter)
            #expect(status == .unprocessableContent)
            #expect(text.contains("unknown unit"))
            let list = try await Self.page(client, "/recommendations", as: analyst)
            #expect(list.contains("Đề nghị hướng dẫn"))
        }
    }

    @Test func unitsProposeTheCommitteeAssignsAndAdopts() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.most@demo.mandate.vn")
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            let today = AppClock().today()
            #expect(try await Self.page(client, "/tasks/new", as: reporter).contains("Đề xuất nhiệm vụ"))
            try await client.execute(uri: "/tasks/new", method: .get, headers: Self.form(viewer)) {
                #expect($0.status == .forbidden)
            }
            let fields =
                "code=DX-1&title=S%C3%A0n+giao+d%E1%BB%8Bch+c%C3%B4ng+ngh%E1%BB%87&deliverable=S%C3%A0n+v%E1%BA%ADn+h%C3%A0nh"
                + "&programme=NQ57&orientation=5&coordinatingUnits=BCT&start=\(today)&deadline=\(today.adding(days: 120))"
            // The lead unit of a proposal is the proposer's own, whatever the form says.
            var (status, _, location) = try await Self.post(client, "/tasks/new", fields + "&leadUnit=01", as: reporter)
            #expect(status == .seeOther)
            #expect(location == "/tasks/DX-1?done=proposedAwaiting")
            // Not public until the unit's head signs it off: seen inside the ministry and by the
            // committee, not found by anyone else; the committee cannot adopt it yet.
            var page = try await Self.page(client, "/tasks/DX-1", as: analyst)
            #expect(page.contains("status-awaiting_sign_off") && page.contains(#"href="/units/BKHCN""#))
            #expect(!page.contains(#"value="sign_off""#) && !page.contains(#"value="adopt""#))
            #expect(try await Self.page(client, "/tasks/DX-1", as: reporter).contains(#"id="task-awaiting-sign-off""#))
            for anyone in [nil, try await client.signIn("reporter.badinh@demo.mandate.vn")] {
                try await client.execute(uri: "/tasks/DX-1", method: .get, headers: anyone.map(Self.form) ?? [:]) {
                    #expect($0.status == .notFound)
                }
                #expect(!(try await Self.page(client, "/tasks?search=DX-1", as: anyone)).contains("/tasks/DX-1"))
            }
            #expect(try await Self.page(client, "/tasks?search=DX-1", as: analyst).contains("/tasks/DX-1"))
            (status, _, _) = try await Self.post(client, "/tasks/DX-1/decide", "decision=adopt", as: analyst)
            #expect(status == .conflict)
            (status, _, _) = try await Self.post(client, "/tasks/DX-1/decide", "decision=sign_off", as: reporter)
            #expect(status == .forbidden)
            let head = try await client.signIn("head.most@demo.mandate.vn")
            #expect(try await Self.page(client, "/tasks/DX-1", as: head).contains(#"value="sign_off""#))
            (status, _, location) = try await Self.post(client, "/tasks/DX-1/decide", "decision=sign_off", as: head)
            #expect(status == .seeOther && location == "/tasks/DX-1?done=signedOff")
            page = try await Self.page(client, "/tasks/DX-1")
            #expect(page.contains("status-proposed"))
            (status, _, _) = try await Self.post(client, "/tasks/DX-1/decide", "decision=adopt", as: reporter)
            #expect(status == .forbidden)
            (status, _, _) = try await Self.post(client, "/tasks/DX-1/decide", "decision=adopt", as: analyst)
            #expect(status == .seeOther)
            page = try await Self.page(client, "/tasks/DX-1")
            #expect(page.contains("status-not_started"))

            // The committee assigns; a bad form comes back with the reason, in the page's language,
            // and what was typed.
            var text: String
            (status, text, _) = try await Self.post(
                client, "/tasks/new",
                "code=GIAO-1&title=Nhi%E1%BB%87m+v%E1%BB%A5&deliverable=B%C3%A1o+c%C3%A1o&programme=NQ57&leadUnit=79"
                    + "&start=\(today)&deadline=\(today.adding(days: -1))", as: analyst)
            #expect(status == .unprocessableContent)
            #expect(text.contains("deadline: hạn \(today.adding(days: -1)) trước ngày bắt đầu \(today)"))
            #expect(text.contains(#"value="Nhiệm vụ""#))
            (status, _, location) = try await Self.post(
                client, "/tasks/new",
                "code=GIAO-1&title=Nhi%E1%BB%87m+v%E1%BB%A5&deliverable=B%C3%A1o+c%C3%A1o&programme=NQ57&leadUnit=79"
                    + "&start=\(today)&deadline=\(today.adding(days: 10))", as: analyst)
            #expect(status == .seeOther)
            #expect(location == "/tasks/GIAO-1?done=assigned")
        }
    }

    /// An official sees the names of the officials who acted for the units whose internal data
    /// they may read, and no other: on the page as in the API.
    @Test func officialsOfOneUnitDoNotSeeTheNamesOfAnothersOfficials() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let most = try await client.signIn("reporter.most@demo.mandate.vn")
            let hanoiAuthor = "Cán bộ báo cáo Hà Nội"
            let mostAuthor = "Cán bộ báo cáo Bộ KH&amp;CN"
            _ = try await TasksAPITests.post(client, "/api/v1/tasks", TasksAPITests.newTask("NAMES-1"), as: analyst)
            _ = try await TasksAPITests.post(
                client, "/api/v1/tasks/NAMES-1/reports", ["unit": "BKHCN", "percent": 40, "narrative": "Phối hợp"],
                as: most)
            let (_, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks/NAMES-1/reports", ["unit": "01", "percent": 100, "narrative": "Đã xong"],
                as: reporter)
            let report = try JSONDecoder().decode(TasksAPITests.ReportBody.self, from: data).id
            _ = try await TasksAPITests.post(client, "/api/v1/reports/\(report)/submit", nil, as: head)
            _ = try await TasksAPITests.post(client, "/api/v1/reports/\(report)/accept", nil, as: analyst)

            // The ministry's reporter reads its own report and Hà Nội's accepted one, not who wrote it.
            let ministry = try await Self.page(client, "/tasks/NAMES-1", as: most)
            #expect(ministry.contains("Đã xong") && ministry.contains("Phối hợp"))
            #expect(!ministry.contains(hanoiAuthor))
            let ministryJSON = try await client.json(
                TasksAPITests.DetailBody.self, "/api/v1/tasks/NAMES-1", headers: most.headers)
            #expect(ministryJSON.reports.first { $0.unit == "01" }.map { $0.createdBy == nil } == true)
            #expect(ministryJSON.reports.first { $0.unit == "BKHCN" }?.createdBy == most.userId)

            // Hà Nội's head reads the history, with Hà Nội's officials and without the ministry's.
            let lead = try await Self.page(client, "/tasks/NAMES-1", as: head)
            #expect(lead.contains(#"id="task-history""#) && lead.contains(hanoiAuthor))
            #expect(!lead.contains(mostAuthor))
            let leadJSON = try await client.json(
                TasksAPITests.DetailBody.self, "/api/v1/tasks/NAMES-1", headers: head.headers)
            let history = try #require(leadJSON.history)
            #expect(history.filter { $0.unit == "BKHCN" }.allSatisfy { $0.userId == nil })
            #expect(history.contains { $0.unit == "01" && $0.userId == reporter.userId })

            // The committee reads everyone's names.
            let committee = try await Self.page(client, "/tasks/NAMES-1", as: analyst)
            #expect(committee.contains(hanoiAuthor) && committee.contains(mostAuthor))
        }
    }

    static func reportId(in page: String) -> String? {
        guard let range = page.range(of: #"id="report-([^"]+)""#, options: .regularExpression) else { return nil }
        return String(page[range].dropFirst(#"id="report-"#.count).dropLast())
    }

    /// The board is drawn once per task data change for every reader, the frame per reader: a
    /// signed-in reader gets their own frame and a task written a moment before.
    @Test func theEscalationBoardIsCurrentForEveryReader() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let before = try await Self.page(client, "/escalation", as: analyst)
            #expect(before.contains(analyst.csrf) && !before.contains("SOON-PAGE"))
            let anonymous = try await Self.page(client, "/escalation")
            #expect(!anonymous.contains(analyst.csrf))
            let (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("SOON-PAGE", deadline: TasksAPITests.today(plus: 5)),
                as: analyst)
            #expect(status == .created)
            #expect(try await Self.page(client, "/escalation", as: analyst).contains("SOON-PAGE"))
            #expect(try await Self.page(client, "/escalation").contains("SOON-PAGE"))
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            let theirs = try await Self.page(client, "/escalation", as: viewer)
            #expect(theirs.contains("SOON-PAGE") && theirs.contains(viewer.csrf) && !theirs.contains(analyst.csrf))
        }
    }
}
