import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

@Suite struct TasksAPITests {
    struct TaskBody: Decodable {
        let code: String
        let status: String
        let deadline: String
        let effectiveDeadline: String
        let leadUnit: String
    }
    struct ReportBody: Decodable {
        let id: String
        let unit: String
        let state: String
        let createdBy: String?
        let files: [EvidenceFile]
    }
    struct ExtensionBody: Decodable {
        let id: String
        let state: String
    }
    struct DetailBody: Decodable {
        let task: TaskBody
        let reports: [ReportBody]
        let extensions: [ExtensionBody]
        let history: [TaskEvent]?
    }
    struct AuditBody: Decodable {
        let action: String
        let targetUnit: String?
        let allowed: Bool
        let reason: String?
    }
    struct Items<T: Decodable>: Decodable {
        let items: [T]
    }

    static func today(plus days: Int) -> String {
        (AppClock().today()).adding(days: days).description
    }

    static func newTask(
        _ code: String, start: String = today(plus: -10), deadline: String = today(plus: 30)
    )
        -> [String: Any]
    {
        [
            "code": code, "title": "Kết nối cơ sở dữ liệu dân cư", "deliverable": "Báo cáo kết nối",
            "programme": "NQ57", "orientation": 3, "leadUnit": "01", "coordinatingUnits": ["BKHCN"], "start": start,
            "deadline": deadline,
        ]
    }

    static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(data: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// POSTs JSON and returns the status and body.
    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ object: Any?, as user: SignedIn?
    ) async throws -> (HTTPResponse.Status, Data) {
        var headers = user?.headers ?? [.contentType: "application/json"]
        if object == nil { headers[.contentType] = nil }
        return try await client.execute(
            uri: uri, method: .post, headers: headers, body: object.map(body) ?? ByteBuffer()
        ) { ($0.status, Data(buffer: $0.body)) }
    }

    /// A title is kept as `HumanText` cleans it: a right-to-left override typed into it (which
    /// would show the rest of the title backwards) and a zero-width space are gone, the
    /// Vietnamese letters composed.
    @Test func titlesKeepNoHiddenCharacters() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            var task = Self.newTask("TXT-1")
            task["title"] = "Ke\u{0302}\u{0301}t no\u{0302}\u{0301}i\u{200B} \u{202E}2026"
            let (status, data) = try await Self.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .created)
            struct Titled: Decodable { let title: String }
            #expect(try JSONDecoder().decode(Titled.self, from: data).title == "Kết nối 2026")
            struct Detail: Decodable { let task: Titled }
            let stored = try await client.json(Detail.self, "/api/v1/tasks/TXT-1")
            #expect(stored.task.title == "Kết nối 2026")
        }
    }

    @Test func aTaskIsAssignedReportedSubmittedAndAccepted() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let most = try await client.signIn("reporter.most@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            var (status, data) = try await Self.post(client, "/api/v1/tasks", Self.newTask("API-1"), as: analyst)
            #expect(status == .created)
            #expect(try JSONDecoder().decode(TaskBody.self, from: data).status == "not_started")

            (status, data) = try await Self.post(
                client, "/api/v1/tasks/API-1/reports",
                ["unit": "01", "percent": 100, "narrative": "Đã kết nối", "links": ["https://hanoi.gov.vn/a"]],
                as: reporter)
            #expect(status == .created)
            let report = try JSONDecoder().decode(ReportBody.self, from: data)
            (status, _) = try await Self.post(
                client, "/api/v1/tasks/API-1/reports", ["unit": "BKHCN", "percent": 50, "narrative": "Phần phối hợp"],
                as: most)
            #expect(status == .created)

            let file = Data("biên bản nghiệm thu".utf8)
            try await client.execute(
                uri: "/api/v1/reports/\(report.id)/files?name=bien-ban.txt", method: .post,
                headers: [
                    .cookie: "mandate_session=\(reporter.cookie)", .xCSRFToken: reporter.csrf,
                    .contentType: "text/plain",
                ], body: ByteBuffer(data: file)
            ) { response in
                #expect(response.status == .created)
                let attached = try JSONDecoder().decode(ReportBody.self, from: Data(buffer: response.body))
                #expect(attached.files.map(\.sha256) == [SHA256Hex.of(file)])
            }
            // Anyone but internal readers sees no draft; the file is not public yet.
            try await client.execute(
                uri: "/api/v1/reports/\(report.id)/files/\(SHA256Hex.of(file))", method: .get
            ) { #expect($0.status == .unauthorized) }

            (status, _) = try await Self.post(client, "/api/v1/reports/\(report.id)/submit", nil, as: reporter)
            #expect(status == .forbidden)
            (status, data) = try await Self.post(client, "/api/v1/reports/\(report.id)/submit", nil, as: head)
            #expect(status == .ok)
            #expect(try JSONDecoder().decode(ReportBody.self, from: data).state == "submitted")

            (status, data) = try await Self.post(
                client, "/api/v1/reports/\(report.id)/accept", ["comment": "Đạt yêu cầu"], as: analyst)
            #expect(status == .ok)
            (status, data) = try await Self.post(
                client, "/api/v1/reports/\(report.id)/return", ["comment": "again"], as: analyst)
            #expect(status == .conflict)
            #expect(String(decoding: data, as: UTF8.self).contains("already accepted"))

            let anonymous = try await client.json(DetailBody.self, "/api/v1/tasks/API-1")
            #expect(anonymous.task.status == "accepted_on_time")
            #expect(anonymous.reports.map(\.id) == [report.id])
            #expect(anonymous.reports.first?.createdBy == nil)
            #expect(anonymous.history == nil)
            // The head of 01 reads 01's reports, not those of the coordinating ministry; the committee reads all.
            #expect(
                try await client.json(DetailBody.self, "/api/v1/tasks/API-1", headers: head.headers).reports.map(\.unit)
                    == ["01"])
            let internalView = try await client.json(DetailBody.self, "/api/v1/tasks/API-1", headers: analyst.headers)
            #expect(internalView.reports.count == 2)
            #expect(
                internalView.history?.map(\.kind) == [
                    .assigned, .progressRecorded, .progressRecorded, .fileAttached, .reportSubmitted, .reportAccepted,
                ])
            // Accepted: the evidence is public, and the report is a fact of the transparency log.
            try await client.execute(
                uri: "/api/v1/reports/\(report.id)/files/\(SHA256Hex.of(file))", method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == file)
            }
            let facts = try await client.json(FactsBody.self, "/api/v1/log/facts?limit=10000")
            #expect(facts.items.contains { $0.contains("\"key\":\"accepted-report/API-1/01/\(report.id)\"") })
        }
    }

    struct FactsBody: Decodable {
        let items: [String]
    }

    /// A report accepted on an illustrative task is illustrative: in the API's task detail as in its
    /// fact in the transparency log.
    @Test func theAPIAndTheLogAgreeThatAReportOnAnIllustrativeTaskIsIllustrative() async throws {
        struct Shown: Decodable {
            struct Report: Decodable {
                let id: String
                let illustrative: Bool
            }
            let reports: [Report]
        }
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            var task = Self.newTask("DEMO-1")
            task["illustrative"] = true
            var (status, data) = try await Self.post(client, "/api/v1/tasks", task, as: analyst)
            #expect(status == .created)
            (status, data) = try await Self.post(
                client, "/api/v1/tasks/DEMO-1/reports", ["unit": "01", "percent": 100, "narrative": "Minh họa"],
                as: reporter)
            let report = try JSONDecoder().decode(ReportBody.self, from: data).id
            (status, _) = try await Self.post(client, "/api/v1/reports/\(report)/submit", nil, as: head)
            (status, _) = try await Self.post(client, "/api/v1/reports/\(report)/accept", nil, as: analyst)
            #expect(status == .ok)

            let facts = try await client.json(FactsBody.self, "/api/v1/log/facts?limit=10000").items
            let fact = try #require(facts.first { $0.contains("\"accepted-report/DEMO-1/01/\(report)\"") })
            #expect(fact.contains(#""illustrative":"true""#))
            for headers in [HTTPFields(), analyst.headers] {
                let shown = try await client.json(Shown.self, "/api/v1/tasks/DEMO-1", headers: headers)
                #expect(shown.reports.map(\.illustrative) == [true])
            }
        }
    }

    @Test func badInputGetsSpecificErrorsAndChangesNothing() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            func problem(_ data: Data) throws -> ProblemBody { try JSONDecoder().decode(ProblemBody.self, from: data) }

            var (status, data) = try await Self.post(
                client, "/api/v1/tasks", Self.newTask("BAD-1", start: "2026-05-01", deadline: "2026-04-01"),
                as: analyst)
            #expect(status == .unprocessableContent)
            #expect(try problem(data).errors?.map(\.field) == ["deadline"])
            var unknown = Self.newTask("BAD-2")
            unknown["leadUnit"] = "99999"
            (status, data) = try await Self.post(client, "/api/v1/tasks", unknown, as: analyst)
            #expect(status == .unprocessableContent)
            #expect(try problem(data).errors?.map(\.field) == ["leadUnit"])
            try await client.execute(uri: "/api/v1/tasks/BAD-1", method: .get) { #expect($0.status == .notFound) }

            (status, _) = try await Self.post(client, "/api/v1/tasks", Self.newTask("OK-1"), as: analyst)
            #expect(status == .created)
            (status, data) = try await Self.post(
                client, "/api/v1/tasks/OK-1/reports", ["unit": "01", "percent": 140, "narrative": "x"], as: reporter)
            #expect(status == .unprocessableContent)
            #expect(try problem(data).errors?.map(\.field) == ["percent"])

            (status, data) = try await Self.post(
                client, "/api/v1/tasks/OK-1/reports", ["unit": "01", "percent": 40, "narrative": "x"], as: reporter)
            let report = try JSONDecoder().decode(ReportBody.self, from: data)
            try await client.execute(
                uri: "/api/v1/reports/\(report.id)/files?name=big.bin", method: .post,
                headers: [
                    .cookie: "mandate_session=\(reporter.cookie)", .xCSRFToken: reporter.csrf,
                    .contentType: "application/octet-stream",
                ], body: ByteBuffer(repeating: 0x41, count: EvidenceFile.maximumSize + 1)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let field = try response.problem().errors?.first?.field
                #expect(field == "file")
            }
            // A decision on a report that was never submitted.
            (status, _) = try await Self.post(client, "/api/v1/reports/\(report.id)/accept", nil, as: analyst)
            #expect(status == .conflict)
            (status, _) = try await Self.post(client, "/api/v1/reports/\(report.id)/submit", nil, as: head)
            #expect(status == .ok)
            (status, data) = try await Self.post(client, "/api/v1/reports/\(report.id)/return", nil, as: analyst)
            #expect(status == .unprocessableContent)
            #expect(try problem(data).errors?.map(\.field) == ["comment"])

            (status, _) = try await Self.post(client, "/api/v1/tasks/OK-1/cancel", ["reason": "Trùng lặp"], as: analyst)
            #expect(status == .ok)
            (status, data) = try await Self.post(
                client, "/api/v1/tasks/OK-1/reports", ["unit": "01", "percent": 50, "narrative": "x"], as: reporter)
            #expect(status == .unprocessableContent)
            #expect(try problem(data).errors?.map(\.field) == ["task"])
            let detail = try await client.json(DetailBody.self, "/api/v1/tasks/OK-1", headers: head.headers)
            #expect(detail.task.status == "cancelled")
            #expect(detail.reports.map(\.state) == ["submitted"])
        }
    }

    @Test func extensionsRecommendationsAndTheEscalationBoard() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let most = try await client.signIn("reporter.most@demo.mandate.vn")
            var (status, data) = try await Self.post(
                client, "/api/v1/tasks", Self.newTask("EXT-1", deadline: Self.today(plus: 3)), as: analyst)
            #expect(status == .created)
            // Only the lead unit asks for more time.
            (status, _) = try await Self.post(
                client, "/api/v1/tasks/EXT-1/extensions", ["deadline": Self.today(plus: 40), "reason": "Chờ số liệu"],
                as: most)
            #expect(status == .forbidden)
            (status, data) = try await Self.post(
                client, "/api/v1/tasks/EXT-1/extensions", ["deadline": Self.today(plus: 1), "reason": "Chờ"],
                as: reporter)
            #expect(status == .unprocessableContent)
            (status, data) = try await Self.post(
                client, "/api/v1/tasks/EXT-1/extensions", ["deadline": Self.today(plus: 40), "reason": "Chờ số liệu"],
                as: reporter)
            #expect(status == .created)
            let request = try JSONDecoder().decode(ExtensionBody.self, from: data)
            (status, _) = try await Self.post(client, "/api/v1/extensions/\(request.id)/grant", nil, as: reporter)
            #expect(status == .forbidden)
            (status, _) = try await Self.post(client, "/api/v1/extensions/\(request.id)/grant", nil, as: analyst)
            #expect(status == .ok)
            (status, _) = try await Self.post(client, "/api/v1/extensions/\(request.id)/refuse", nil, as: analyst)
            #expect(status == .conflict)
            let detail = try await client.json(DetailBody.self, "/api/v1/tasks/EXT-1")
            #expect(detail.task.deadline == Self.today(plus: 3))
            #expect(detail.task.effectiveDeadline == Self.today(plus: 40))

            (status, data) = try await Self.post(
                client, "/api/v1/recommendations",
                [
                    "fromUnit": "01", "toUnit": "BCD", "title": "Đề nghị hướng dẫn", "body": "",
                    "due": Self.today(plus: 10),
                ],
                as: reporter)
            #expect(status == .created)
            let raised = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let id = raised["id"] as? String
            // A reporter's recommendation is public, and answerable, once its unit's head signs it off.
            #expect(raised["signedOffAt"] == nil)
            struct Listed: Decodable {
                struct Item: Decodable { let id: String }
                let recommendations: [Item]
                let total: Int
            }
            func listed(_ user: SignedIn?) async throws -> [String] {
                try await client.json(
                    Listed.self, "/api/v1/recommendations?limit=1000", headers: user?.headers ?? [:]
                ).recommendations.map(\.id)
            }
            #expect(try await !listed(nil).contains(id ?? ""))
            #expect(try await !listed(most).contains(id ?? ""))
            #expect(try await listed(reporter).contains(id ?? ""))
            #expect(try await listed(analyst).contains(id ?? ""))
            (status, _) = try await Self.post(
                client, "/api/v1/recommendations/\(id ?? "")/answer", ["answer": "Đã hướng dẫn"], as: analyst)
            #expect(status == .conflict)
            (status, _) = try await Self.post(client, "/api/v1/recommendations/\(id ?? "")/sign-off", nil, as: reporter)
            #expect(status == .forbidden)
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            (status, data) = try await Self.post(client, "/api/v1/recommendations/\(id ?? "")/sign-off", nil, as: head)
            #expect(status == .ok)
            #expect((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["signedOffAt"] is String)
            (status, _) = try await Self.post(client, "/api/v1/recommendations/\(id ?? "")/sign-off", nil, as: head)
            #expect(status == .conflict)
            #expect(try await listed(nil).contains(id ?? ""))
            (status, _) = try await Self.post(
                client, "/api/v1/recommendations/\(id ?? "")/answer", ["answer": "x"], as: most)
            #expect(status == .forbidden)
            (status, _) = try await Self.post(
                client, "/api/v1/recommendations/\(id ?? "")/answer", ["answer": "Đã hướng dẫn"], as: analyst)
            #expect(status == .ok)

            (status, _) = try await Self.post(
                client, "/api/v1/tasks", Self.newTask("SOON-1", deadline: Self.today(plus: 5)), as: analyst)
            let board = try await client.json(EscalationBoard.self, "/api/v1/escalation?limit=5000")
            #expect(board.dueWithin7Days.contains { $0.code == "SOON-1" })
            // Extended to 40 days from now: no longer due within 30 days.
            #expect(!board.dueWithin30Days.contains { $0.code == "EXT-1" })
            // The demo has overdue tasks; every one listed really is past its deadline that counts.
            #expect(!board.overdue.isEmpty)
            #expect(board.overdue.allSatisfy { $0.effectiveDeadline < board.today && $0.days > 0 })
        }
    }

    @Test func theClockDecidesOverdue() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2030-01-01T00:00:00.000Z")
        try await withApp(arguments) { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let (status, data) = try await Self.post(
                client, "/api/v1/tasks", Self.newTask("CLK-1", start: "2029-01-01", deadline: "2029-12-31"),
                as: analyst)
            #expect(status == .created)
            #expect(try JSONDecoder().decode(TaskBody.self, from: data).status == "overdue")
            let measures = try await client.json(
                DeliveryMeasuresBody.self, "/api/v1/deliveryMeasures?unit=01")
            #expect(measures.today == "2030-01-01")
            #expect((measures.measures.first?.overdueCount ?? 0) >= 1)
        }
    }

    struct DeliveryMeasuresBody: Decodable {
        let today: String
        let measures: [DeliveryMeasures]
    }

    /// Every write of the task module by every demo role: 403 exactly where the rules say, and a
    /// refused write changes nothing and is recorded.
    @Test func theAccessMatrix() async throws {
        try await withApp { client in
            let emails = [
                "admin": "admin@demo.mandate.vn", "analyst": "analyst@demo.mandate.vn",
                "viewer": "viewer@demo.mandate.vn", "head": "head.hanoi@demo.mandate.vn",
                "reporter": "reporter.hanoi@demo.mandate.vn", "mostReporter": "reporter.most@demo.mandate.vn",
                "mostHead": "head.most@demo.mandate.vn", "communeReporter": "reporter.badinh@demo.mandate.vn",
            ]
            var users: [String: SignedIn] = [:]
            for (name, email) in emails { users[name] = try await client.signIn(email) }
            let analyst = try #require(users["analyst"])
            let head = try #require(users["head"])
            let reporter = try #require(users["reporter"])
            var serial = 0
            /// A fresh task led by 01 with BKHCN coordinating, and a submitted report of 01 on it.
            func setUp() async throws -> (task: String, report: String) {
                serial += 1
                let code = "ACL-\(serial)"
                _ = try await Self.post(client, "/api/v1/tasks", Self.newTask(code), as: analyst)
                let (_, data) = try await Self.post(
                    client, "/api/v1/tasks/\(code)/reports", ["unit": "01", "percent": 100, "narrative": "x"],
                    as: reporter)
                let report = try JSONDecoder().decode(ReportBody.self, from: data).id
                _ = try await Self.post(client, "/api/v1/reports/\(report)/submit", nil, as: head)
                return (code, report)
            }
            // Who may: by the rules of the issue, written out by hand.
            let committee: Set<String> = ["admin", "analyst"]
            let cases: [(name: String, allowed: Set<String>, run: (String, String) -> (String, Any?))] = [
                (
                    "assign", committee,
                    { _, _ in ("/api/v1/tasks", Self.newTask("NEW-\(UUID().uuidString.prefix(8))")) }
                ),
                ("accept", committee, { _, report in ("/api/v1/reports/\(report)/accept", nil) }),
                ("return", committee, { _, report in ("/api/v1/reports/\(report)/return", ["comment": "Bổ sung"]) }),
                ("cancel", committee, { task, _ in ("/api/v1/tasks/\(task)/cancel", ["reason": "r"]) }),
                (
                    "report for 01", committee.union(["head", "reporter"]),
                    { task, _ in ("/api/v1/tasks/\(task)/reports", ["unit": "01", "percent": 10, "narrative": "x"]) }
                ),
                (
                    "report for BKHCN", committee.union(["mostReporter", "mostHead"]),
                    { task, _ in ("/api/v1/tasks/\(task)/reports", ["unit": "BKHCN", "percent": 10, "narrative": "x"]) }
                ),
                (
                    "report for an uninvolved unit", [],
                    { task, _ in ("/api/v1/tasks/\(task)/reports", ["unit": "00004", "percent": 10, "narrative": "x"]) }
                ),
                (
                    "request extension", committee.union(["head", "reporter"]),
                    { task, _ in
                        ("/api/v1/tasks/\(task)/extensions", ["deadline": Self.today(plus: 60), "reason": "r"])
                    }
                ),
            ]
            for (name, allowed, run) in cases {
                for (role, user) in users.sorted(by: { $0.key < $1.key }) {
                    let (task, report) = try await setUp()
                    let (uri, body) = run(task, report)
                    let (status, _) = try await Self.post(client, uri, body, as: user)
                    if allowed.contains(role) {
                        #expect(status.code < 300, "\(name) by \(role): \(status)")
                    } else {
                        #expect(status == .forbidden, "\(name) by \(role): \(status)")
                        let detail = try await client.json(
                            DetailBody.self, "/api/v1/tasks/\(task)", headers: head.headers)
                        #expect(detail.task.status == "submitted", "\(name) by \(role) changed the task")
                        #expect(detail.reports.count == 1 && detail.extensions.isEmpty)
                    }
                }
            }
            // Submitting: the head of the report's unit (and admins) only.
            for (role, user) in users.sorted(by: { $0.key < $1.key }) {
                serial += 1
                let code = "SUB-\(serial)"
                _ = try await Self.post(client, "/api/v1/tasks", Self.newTask(code), as: analyst)
                let (_, data) = try await Self.post(
                    client, "/api/v1/tasks/\(code)/reports", ["unit": "01", "percent": 10, "narrative": "x"],
                    as: reporter)
                let report = try JSONDecoder().decode(ReportBody.self, from: data).id
                let (status, _) = try await Self.post(client, "/api/v1/reports/\(report)/submit", nil, as: user)
                #expect((status == .ok) == ["admin", "head"].contains(role), "submit by \(role): \(status)")
            }
            let admin = try #require(users["admin"])
            let denied = try await client.json(
                Items<AuditBody>.self, "/api/v1/audit?denied=true&limit=500", headers: admin.headers)
            #expect(denied.items.contains { $0.action == "review_report" && !$0.allowed })
            #expect(
                denied.items.contains {
                    $0.action == "report_progress" && $0.reason?.contains("neither leads nor coordinates") == true
                })
        }
    }
}
