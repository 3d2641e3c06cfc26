import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// "My work" (issue 20, point 1): signing in lands on what waits for the user, each a link to
/// where it is done, and only what `Authorizer` lets them do.
@Suite struct WorkPagesTests {
    static func page(_ client: any TestClientProtocol, as user: SignedIn) async throws -> String {
        try await client.execute(
            uri: "/work", method: .get, headers: [.cookie: "mandate_session=\(user.cookie)"]
        ) { response in
            #expect(response.status == .ok)
            return response.text
        }
    }

    /// The number in "N values to enter for PERIOD", or nil when the item is not listed.
    static func toEnter(_ page: String, _ period: String) -> Int? {
        guard let end = page.range(of: " giá trị cần nhập cho kỳ \(period)</a>") else { return nil }
        let before = page[..<end.lowerBound]
        return Int(before[(before.lastIndex(of: ">").map { before.index(after: $0) } ?? before.startIndex)...])
    }

    @Test func valuesDueWaitForTheReporterAndDraftsForTheHead() async throws {
        var arguments = TestArguments()
        // The demo has every period that ended before its start; 2027Q1 is due after it.
        arguments.clock = .fixed("2027-04-10T02:00:00Z")
        try await withApp(arguments) { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            // Nothing of 2027Q1 is entered yet: every quarterly indicator of a province waits.
            let before = try await Self.page(client, as: reporter)
            #expect(before.contains(#"<h1>Việc của tôi</h1>"#) && before.contains(#"id="nav-work""#))
            let missing = try #require(Self.toEnter(before, "2027Q1"))
            #expect(before.contains(#"<a href="/units/01/entry?period=2027Q1">"#))
            // The reporter may not approve: no approval section for them.
            #expect(!before.contains(#"id="work-approve""#))

            let form = "_csrf=\(reporter.csrf)&period=2027Q1&value_DVC_TS=500"
            try await client.execute(
                uri: "/units/01/entry", method: .post,
                headers: [
                    .cookie: "mandate_session=\(reporter.cookie)", .contentType: "application/x-www-form-urlencoded",
                ],
                body: ByteBuffer(string: form)
            ) { #expect($0.status == .seeOther) }
            let after = try await Self.page(client, as: reporter)
            #expect(Self.toEnter(after, "2027Q1") == (missing > 1 ? missing - 1 : nil))

            // The head sees the draft waiting for approval, with a link to approve it.
            let headPage = try await Self.page(client, as: head)
            #expect(headPage.contains(#"id="work-approve""#))
            #expect(
                headPage.contains(#"<a href="/units/01/entry?period=2027Q1">1 giá trị kỳ 2027Q1 chờ bạn phê duyệt</a>"#)
            )
        }
    }

    @Test func theCommitteeSeesReportsWaitingForItsDecisionAndTheUnitItsDrafts() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            var body = TasksAPITests.newTask("WORK-1")
            body["title"] = "Số hóa hồ sơ đất đai"
            let (created, _) = try await TasksAPITests.post(client, "/api/v1/tasks", body, as: analyst)
            #expect(created == .created)
            let (_, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks/WORK-1/reports", ["unit": "01", "percent": 40, "narrative": "x"], as: head)
            let id = try JSONDecoder().decode(TasksAPITests.ReportBody.self, from: data).id
            // A draft: the unit's head is asked to submit it; the committee sees nothing yet.
            let draftPage = try await Self.page(client, as: head)
            #expect(draftPage.contains(#"id="work-submitReports""#))
            #expect(draftPage.contains(#"<a href="/tasks/WORK-1">WORK-1 · Số hóa hồ sơ đất đai</a>"#))
            #expect(!(try await Self.page(client, as: analyst)).contains("WORK-1"))

            let (submitted, _) = try await TasksAPITests.post(client, "/api/v1/reports/\(id)/submit", nil, as: head)
            #expect(submitted == .ok)
            let committee = try await Self.page(client, as: analyst)
            #expect(committee.contains(#"id="work-decideReports""#))
            #expect(committee.contains(#"<a href="/tasks/WORK-1">WORK-1 · Số hóa hồ sơ đất đai</a>"#))
            #expect(!(try await Self.page(client, as: head)).contains(#"id="work-submitReports"><"#))
            // A viewer decides nothing and enters nothing.
            let nothing = try await Self.page(client, as: viewer)
            #expect(!nothing.contains(#"id="work-decideReports""#) && !nothing.contains(#"id="work-enter""#))
        }
    }

    /// What a unit's reporters propose or recommend waits for its head's sign-off; a signed-off
    /// recommendation waits for an answer from the unit it is addressed to, until it has one.
    @Test func recommendationsAndProposalsWaitForSignOffThenForAnAnswer() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            var (status, data) = try await TasksAPITests.post(
                client, "/api/v1/recommendations",
                [
                    "fromUnit": "01", "toUnit": "BCD", "title": "Đề nghị hướng dẫn kết nối dữ liệu", "body": "",
                    "due": TasksAPITests.today(plus: 10),
                ],
                as: reporter)
            #expect(status == .created)
            let id = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"] as? String)
            var proposal = TasksAPITests.newTask("WORK-P")
            proposal["title"] = "Đề xuất nền tảng dữ liệu mở"
            proposal["origin"] = "proposed"
            (status, _) = try await TasksAPITests.post(client, "/api/v1/tasks", proposal, as: reporter)
            #expect(status == .created)

            let link =
                #"<a href="/recommendations?unit=BCD#recommendation-\#(id)">Đề nghị hướng dẫn kết nối dữ liệu</a>"#
            var headPage = try await Self.page(client, as: head)
            #expect(headPage.contains(#"id="work-signOffRecommendations""#))
            #expect(headPage.contains(#"<a href="/recommendations?unit=01#recommendation-\#(id)">"#))
            #expect(headPage.contains(#"id="work-signOffProposals""#))
            #expect(headPage.contains(#"<a href="/tasks/WORK-P">WORK-P · Đề xuất nền tảng dữ liệu mở</a>"#))
            // A reporter signs nothing off; the committee answers nothing not yet signed off.
            #expect(!(try await Self.page(client, as: reporter)).contains(#"id="work-signOffRecommendations""#))
            #expect(!(try await Self.page(client, as: analyst)).contains(link))

            (status, _) = try await TasksAPITests.post(client, "/api/v1/recommendations/\(id)/sign-off", nil, as: head)
            #expect(status == .ok)
            (status, _) = try await TasksAPITests.post(client, "/api/v1/tasks/WORK-P/sign-off", nil, as: head)
            #expect(status == .ok)
            headPage = try await Self.page(client, as: head)
            #expect(!headPage.contains(id) && !headPage.contains("WORK-P"))
            let committee = try await Self.page(client, as: analyst)
            #expect(committee.contains(#"id="work-answerRecommendations""#) && committee.contains(link))

            (status, _) = try await TasksAPITests.post(
                client, "/api/v1/recommendations/\(id)/answer", ["answer": "Đã hướng dẫn"], as: analyst)
            #expect(status == .ok)
            #expect(!(try await Self.page(client, as: analyst)).contains(link))
        }
    }

    @Test func signingInLandsOnMyWorkAndAnonymousReadersAreSentToSignIn() async throws {
        try await withApp { client in
            try await client.execute(uri: "/work", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
            }
        }
    }
}
