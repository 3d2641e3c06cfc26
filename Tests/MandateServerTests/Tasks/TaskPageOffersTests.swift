import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// For every demo role and every form of the task pages, in states that allow the step and in
/// states that do not: the page offers the form exactly when posting it is accepted.
@Suite struct TaskPageOffersTests {
    static let roles = [
        "admin": "admin@demo.mandate.vn", "analyst": "analyst@demo.mandate.vn", "viewer": "viewer@demo.mandate.vn",
        "head 01": "head.hanoi@demo.mandate.vn", "reporter 01": "reporter.hanoi@demo.mandate.vn",
        "head 00004": "head.badinh@demo.mandate.vn", "reporter 00004": "reporter.badinh@demo.mandate.vn",
    ]

    /// A form: how to set up the state it acts on, how to see it on the page, and how to post it.
    struct Form {
        let name: String
        /// Makes a fresh task (and what the form acts on); returns the task's code and the id of
        /// the report or request acted on.
        let setUp: (Setup) async throws -> (code: String, id: String)
        /// What the page shows when it offers the form.
        let marker: (String, String) -> String
        let post: (String, String) -> (uri: String, body: String)
    }

    /// Writes through the API by committee roles (and a reporter of 01 for proposals).
    struct Setup {
        let client: any TestClientProtocol
        let analyst: SignedIn
        let admin: SignedIn
        let reporter: SignedIn
        /// The head of 01, who signs off its reporter's proposals.
        let head: SignedIn
        let serial: Int

        /// A task assigned, or proposed by the reporter of 01 and signed off by its head
        /// (`proposed`) or not yet (`unsigned`).
        func task(origin: String = "assigned") async throws -> String {
            let code = "OFFER-\(serial)"
            var body = TasksAPITests.newTask(code)
            body["coordinatingUnits"] = ["00004"]
            body["origin"] = origin == "assigned" ? "assigned" : "proposed"
            let (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks", body, as: origin == "assigned" ? analyst : reporter)
            #expect(status == .created)
            if origin == "proposed" {
                let (signed, _) = try await TasksAPITests.post(
                    client, "/api/v1/tasks/\(code)/sign-off", nil, as: head)
                #expect(signed == .ok)
            }
            return code
        }

        func draft(_ code: String, unit: String) async throws -> String {
            let (_, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks/\(code)/reports", ["unit": unit, "percent": 100, "narrative": "x"], as: analyst)
            return try JSONDecoder().decode(TasksAPITests.ReportBody.self, from: data).id
        }

        func submitted(_ code: String, unit: String) async throws -> String {
            let id = try await draft(code, unit: unit)
            _ = try await TasksAPITests.post(client, "/api/v1/reports/\(id)/submit", nil, as: admin)
            return id
        }

        func cancel(_ code: String) async throws {
            let (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks/\(code)/cancel", ["reason": "Trùng lặp"], as: analyst)
            #expect(status == .ok)
        }

        func extensionRequest(_ code: String) async throws -> String {
            let (_, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks/\(code)/extensions",
                ["deadline": TasksAPITests.today(plus: 60), "reason": "Chờ số liệu"], as: analyst)
            return try JSONDecoder().decode(TasksAPITests.ExtensionBody.self, from: data).id
        }
    }

    static func forms() -> [Form] {
        var forms: [Form] = []
        for unit in ["01", "00004"] {
            forms.append(
                Form(
                    name: "record progress for \(unit)", setUp: { (try await $0.task(), "") },
                    marker: { _, _ in #"<option value="\#(unit)">"# },
                    post: { code, _ in ("/tasks/\(code)/progress", "unit=\(unit)&percent=10&narrative=x") }))
            for cancelled in [false, true] {
                let on = cancelled ? " of a cancelled task" : ""
                forms.append(
                    Form(
                        name: "attach a file to a draft of \(unit)\(on)",
                        setUp: { setup in
                            let code = try await setup.task()
                            let id = try await setup.draft(code, unit: unit)
                            if cancelled { try await setup.cancel(code) }
                            return (code, id)
                        }, marker: { code, id in #"action="/tasks/\#(code)/reports/\#(id)/files""# },
                        post: { code, id in ("/tasks/\(code)/reports/\(id)/files", "") }))
                forms.append(
                    Form(
                        name: "submit a draft of \(unit)\(on)",
                        setUp: { setup in
                            let code = try await setup.task()
                            let id = try await setup.draft(code, unit: unit)
                            if cancelled { try await setup.cancel(code) }
                            return (code, id)
                        }, marker: { code, id in #"action="/tasks/\#(code)/reports/\#(id)/submit""# },
                        post: { code, id in ("/tasks/\(code)/reports/\(id)/submit", "") }))
                forms.append(
                    Form(
                        name: "accept a submitted report of \(unit)\(on)",
                        setUp: { setup in
                            let code = try await setup.task()
                            let id = try await setup.submitted(code, unit: unit)
                            if cancelled { try await setup.cancel(code) }
                            return (code, id)
                        }, marker: { code, id in #"action="/tasks/\#(code)/reports/\#(id)/decide""# },
                        post: { code, id in ("/tasks/\(code)/reports/\(id)/decide", "decision=accept") }))
            }
        }
        forms.append(
            Form(
                name: "request an extension", setUp: { (try await $0.task(), "") },
                marker: { _, _ in #"id="extension-form""# },
                post: { code, _ in
                    ("/tasks/\(code)/extensions", "deadline=\(TasksAPITests.today(plus: 60))&reason=Ch%E1%BB%9D")
                }))
        forms.append(
            Form(
                name: "decide an extension",
                setUp: { setup in
                    let code = try await setup.task()
                    return (code, try await setup.extensionRequest(code))
                }, marker: { code, id in #"action="/tasks/\#(code)/extensions/\#(id)/decide""# },
                post: { code, id in ("/tasks/\(code)/extensions/\(id)/decide", "decision=grant") }))
        forms.append(
            Form(
                name: "sign off a proposal", setUp: { (try await $0.task(origin: "unsigned"), "") },
                marker: { _, _ in #"value="sign_off""# },
                post: { code, _ in ("/tasks/\(code)/decide", "decision=sign_off") }))
        forms.append(
            Form(
                name: "adopt a proposal", setUp: { (try await $0.task(origin: "proposed"), "") },
                marker: { _, _ in #"value="adopt""# },
                post: { code, _ in ("/tasks/\(code)/decide", "decision=adopt") }))
        for origin in ["assigned", "proposed", "unsigned"] {
            forms.append(
                Form(
                    name: "cancel a task \(origin)", setUp: { (try await $0.task(origin: origin), "") },
                    marker: { _, _ in #"value="cancel""# },
                    post: { code, _ in ("/tasks/\(code)/decide", "decision=cancel&reason=Tr%C3%B9ng") }))
        }
        return forms
    }

    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ body: String, as user: SignedIn
    ) async throws -> HTTPResponse.Status {
        if uri.hasSuffix("/files") {
            let boundary = "----mandate-offers"
            let upload =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(user.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bien-ban.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nbiên bản\r\n--\(boundary)--\r\n"
            return try await client.execute(
                uri: uri, method: .post,
                headers: [
                    .cookie: "mandate_session=\(user.cookie)",
                    .contentType: "multipart/form-data; boundary=\(boundary)",
                ], body: ByteBuffer(string: upload)
            ) { $0.status }
        }
        return try await TaskPagesTests.post(client, uri, body, as: user).0
    }

    @Test func everyFormIsOfferedExactlyWhenPostingItIsAccepted() async throws {
        try await withApp { client in
            var users: [String: SignedIn] = [:]
            for (role, email) in Self.roles { users[role] = try await client.signIn(email) }
            let analyst = try #require(users["analyst"])
            let admin = try #require(users["admin"])
            let reporter = try #require(users["reporter 01"])
            let head = try #require(users["head 01"])
            var serial = 0
            var accepted: [String: Set<String>] = [:]
            for form in Self.forms() {
                for (role, user) in users.sorted(by: { $0.key < $1.key }) {
                    serial += 1
                    let setup = Setup(
                        client: client, analyst: analyst, admin: admin, reporter: reporter, head: head,
                        serial: serial)
                    let (code, id) = try await form.setUp(setup)
                    // A proposal awaiting sign-off is not found outside 01 and the units above it.
                    let page = try await client.execute(
                        uri: "/tasks/\(code)", method: .get, headers: TaskPagesTests.form(user)
                    ) { $0.status == .ok ? $0.text : "" }
                    let offered = page.contains(form.marker(code, id))
                    let (uri, body) = form.post(code, id)
                    let status = try await Self.post(client, uri, body, as: user)
                    #expect(
                        offered == (status == .seeOther),
                        "\(form.name) by \(role): offered \(offered), posted \(status)")
                    if status == .seeOther { accepted[form.name, default: []].insert(role) }
                }
            }
            // The matrix is not empty: what each role may do, as docs/TASKS.md states it.
            #expect(accepted["record progress for 00004"] == ["admin", "analyst", "head 00004", "reporter 00004"])
            #expect(accepted["submit a draft of 01"] == ["admin", "head 01"])
            #expect(accepted["accept a submitted report of 01"] == ["admin", "analyst"])
            #expect(accepted["cancel a task proposed"] == ["admin", "analyst"])
            #expect(accepted["cancel a task unsigned"] == ["admin", "analyst"])
            #expect(accepted["sign off a proposal"] == ["admin", "head 01"])
            #expect(accepted["adopt a proposal"] == ["admin", "analyst"])
            #expect(accepted["accept a submitted report of 01 of a cancelled task"] == nil)
            #expect(accepted["attach a file to a draft of 01 of a cancelled task"] == nil)
        }
    }

    /// The list offers the new task link, and the new task page answers, exactly to those who may
    /// assign or propose a task.
    @Test func theNewTaskFormIsOfferedExactlyToThoseWhoMayCreate() async throws {
        try await withApp { client in
            let today = AppClock().today()
            var serial = 0
            for (role, email) in Self.roles.sorted(by: { $0.key < $1.key }) {
                let user = try await client.signIn(email)
                serial += 1
                let offered = try await TaskPagesTests.page(client, "/tasks", as: user).contains(#"id="task-new-link""#)
                let form = try await client.execute(uri: "/tasks/new", method: .get, headers: TaskPagesTests.form(user))
                {
                    $0.status
                }
                #expect((form == .ok) == offered, "\(role): the form answers \(form)")
                let (status, _, _) = try await TaskPagesTests.post(
                    client, "/tasks/new",
                    "code=NEW-\(serial)&title=Nhi%E1%BB%87m+v%E1%BB%A5&deliverable=B%C3%A1o+c%C3%A1o&programme=NQ57"
                        + "&leadUnit=79&start=\(today)&deadline=\(today.adding(days: 10))", as: user)
                #expect(offered == (status == .seeOther), "\(role): offered \(offered), posted \(status)")
                #expect(offered == (role != "viewer"), "\(role)")
            }
        }
    }
}
