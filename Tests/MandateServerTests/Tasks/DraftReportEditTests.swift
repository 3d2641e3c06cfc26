import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// A draft report is edited or withdrawn before it is submitted, through the API and the task
/// page (`TaskStep.editReport`, `.withdrawReport`); after submission neither is possible.
@Suite struct DraftReportEditTests {
    typealias API = TasksAPITests

    struct Edited: Decodable {
        let id: String
        let percent: Int
        let narrative: String
        let links: [String]
        let state: String
    }

    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ object: Any?,
        as user: SignedIn
    ) async throws -> (HTTPResponse.Status, Data) {
        try await client.execute(
            uri: uri, method: method, headers: user.headers, body: object.map(API.body) ?? ByteBuffer()
        ) { ($0.status, Data(buffer: $0.body)) }
    }

    @Test func aDraftIsEditedOrWithdrawnThroughTheAPIUntilItIsSubmitted() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            let most = try await client.signIn("reporter.most@demo.mandate.vn")
            #expect(try await API.post(client, "/api/v1/tasks", API.newTask("EDIT-1"), as: analyst).0 == .created)
            func draft(_ narrative: String) async throws -> String {
                let (status, data) = try await API.post(
                    client, "/api/v1/tasks/EDIT-1/reports", ["unit": "01", "percent": 20, "narrative": narrative],
                    as: reporter)
                #expect(status == .created)
                return try JSONDecoder().decode(API.ReportBody.self, from: data).id
            }
            let first = try await draft("Bắt đầu")
            let edit: [String: Any] = [
                "percent": 45, "narrative": "Đã kết nối 12 sở", "links": ["https://hanoi.gov.vn/ket-noi"],
            ]
            // Another unit's reporter and a viewer may not; bad input changes nothing.
            #expect(try await Self.send(client, .patch, "/api/v1/reports/\(first)", edit, as: most).0 == .forbidden)
            #expect(try await Self.send(client, .patch, "/api/v1/reports/\(first)", edit, as: viewer).0 == .forbidden)
            var bad = edit
            bad["percent"] = 140
            #expect(
                try await Self.send(client, .patch, "/api/v1/reports/\(first)", bad, as: reporter).0
                    == .unprocessableContent)

            let (status, data) = try await Self.send(client, .patch, "/api/v1/reports/\(first)", edit, as: reporter)
            #expect(status == .ok)
            let edited = try JSONDecoder().decode(Edited.self, from: data)
            #expect(edited.id == first && edited.percent == 45 && edited.narrative == "Đã kết nối 12 sở")
            #expect(edited.links == ["https://hanoi.gov.vn/ket-noi"] && edited.state == "draft")

            let second = try await draft("Trùng lặp")
            #expect(try await Self.send(client, .delete, "/api/v1/reports/\(second)", nil, as: viewer).0 == .forbidden)
            #expect(
                try await Self.send(client, .delete, "/api/v1/reports/\(second)", nil, as: reporter).0 == .noContent)
            #expect(try await Self.send(client, .delete, "/api/v1/reports/\(second)", nil, as: reporter).0 == .notFound)

            let detail = try await client.json(API.DetailBody.self, "/api/v1/tasks/EDIT-1", headers: analyst.headers)
            #expect(detail.reports.map(\.id) == [first])
            let kinds = (detail.history ?? []).map(\.kind)
            #expect(kinds.contains(.reportEdited) && kinds.contains(.reportWithdrawn))

            // Submitted: neither edited nor withdrawn.
            #expect(try await API.post(client, "/api/v1/reports/\(first)/submit", nil, as: head).0 == .ok)
            #expect(try await Self.send(client, .patch, "/api/v1/reports/\(first)", edit, as: reporter).0 == .conflict)
            #expect(try await Self.send(client, .delete, "/api/v1/reports/\(first)", nil, as: head).0 == .conflict)
        }
    }

    @Test func theTaskPageEditsAndWithdrawsADraft() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            #expect(try await API.post(client, "/api/v1/tasks", API.newTask("EDIT-2"), as: analyst).0 == .created)
            let (_, data) = try await API.post(
                client, "/api/v1/tasks/EDIT-2/reports", ["unit": "01", "percent": 10, "narrative": "Bản đầu"],
                as: reporter)
            let id = try JSONDecoder().decode(API.ReportBody.self, from: data).id
            func form(_ uri: String, _ fields: String) async throws -> (HTTPResponse.Status, String?, String) {
                try await client.execute(
                    uri: uri, method: .post,
                    headers: [
                        .cookie: "mandate_session=\(reporter.cookie); lang=en",
                        .contentType: "application/x-www-form-urlencoded",
                    ], body: ByteBuffer(string: "_csrf=\(reporter.csrf)&" + fields)
                ) { ($0.status, $0.headers[.location], $0.text) }
            }
            let shown = try await client.execute(
                uri: "/tasks/EDIT-2?lang=en", method: .get,
                headers: [.cookie: "mandate_session=\(reporter.cookie); lang=en"]
            ) { $0.text }
            #expect(shown.contains("/tasks/EDIT-2/reports/\(id)/edit") && shown.contains(">Bản đầu</textarea>"))
            #expect(shown.contains("/tasks/EDIT-2/reports/\(id)/withdraw"))
            // Anonymous readers are offered neither.
            let anonymous = try await client.execute(uri: "/tasks/EDIT-2?lang=en", method: .get) { $0.text }
            #expect(!anonymous.contains("/reports/\(id)/edit") && !anonymous.contains("/reports/\(id)/withdraw"))

            let edited = try await form(
                "/tasks/EDIT-2/reports/\(id)/edit", "percent=60&narrative=B%E1%BA%A3n+s%E1%BB%ADa&links=")
            #expect(edited.0 == .seeOther && edited.1 == "/tasks/EDIT-2?done=edited")
            let report = try #require(
                try await client.json(
                    API.DetailBody.self, "/api/v1/tasks/EDIT-2", headers: reporter.headers
                ).reports.first)
            #expect(report.id == id)

            let unconfirmed = try await form("/tasks/EDIT-2/reports/\(id)/withdraw", "")
            #expect(unconfirmed.0 == .unprocessableContent && unconfirmed.2.contains("confirm"))
            let withdrawn = try await form("/tasks/EDIT-2/reports/\(id)/withdraw", "confirmed=yes")
            #expect(withdrawn.0 == .seeOther && withdrawn.1 == "/tasks/EDIT-2?done=withdrawn")
            #expect(
                try await client.json(API.DetailBody.self, "/api/v1/tasks/EDIT-2", headers: reporter.headers)
                    .reports.isEmpty)
        }
    }
}
