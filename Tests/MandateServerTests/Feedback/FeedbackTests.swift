import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import NIOCore
import Testing

@testable import MandateServer

/// Citizens rate a unit's service or an accepted task's result without an account (issue 22,
/// points 1–3): a receipt to follow it, personal data masked before anything keeps it, limits
/// per client, unit and in all, a honeypot, and an identical comment counted once.
@Suite struct FeedbackTests {
    struct Received: Decodable {
        let receipt: String
        let unit: String
        let task: String?
        let overall: Int
        let factors: [String: Int]
        let state: String
        let comment: String?
    }

    static func rate(
        _ client: any TestClientProtocol, _ body: [String: Any], headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, Data, HTTPFields) {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: headers)
        return try await client.execute(
            uri: "/api/v1/feedback", method: .post, headers: fields,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        ) { ($0.status, Data(buffer: $0.body), $0.headers) }
    }

    /// An accepted task of the demo, by its code.
    static func acceptedTask(_ client: any TestClientProtocol) async throws -> String {
        struct Listed: Decodable {
            struct Item: Decodable { let code: String }
            let items: [Item]
        }
        let listed = try await client.json(Listed.self, "/api/v1/tasks?status=accepted_on_time&limit=1")
        return try #require(listed.items.first?.code)
    }

    @Test func aRatingIsReceivedWithAReceiptAndFollowedByIt() async throws {
        try await withApp { client in
            var (status, data, _) = try await Self.rate(
                client,
                ["unit": "01", "overall": 4, "factors": ["staff": 5, "procedures": 3], "comment": "Thủ tục nhanh"])
            #expect(status == .created)
            let received = try JSONDecoder().decode(Received.self, from: data)
            #expect(
                received.unit == "01" && received.overall == 4 && received.factors == ["staff": 5, "procedures": 3])
            // The comment waits for a moderator: not shown until it is published.
            #expect(received.state == "pending" && received.comment == nil)
            let followed = try await client.json(
                Received.self,
                "/api/v1/feedback/\(received.receipt.lowercased().replacingOccurrences(of: "-", with: ""))")
            #expect(followed.receipt == received.receipt && followed.state == "pending")

            let task = try await Self.acceptedTask(client)
            (status, data, _) = try await Self.rate(client, ["task": task, "overall": 2])
            #expect(status == .created)
            let rated = try JSONDecoder().decode(Received.self, from: data)
            #expect(rated.task == task && rated.state == "recorded" && !rated.unit.isEmpty)

            // What cannot be rated is refused, naming the field.
            (status, _, _) = try await Self.rate(client, ["unit": "BCD", "overall": 3])
            #expect(status == .unprocessableContent)
            (status, _, _) = try await Self.rate(client, ["unit": "NO-SUCH", "overall": 3])
            #expect(status == .notFound)
            (status, data, _) = try await Self.rate(client, ["unit": "01", "overall": 9, "factors": ["speed": 2]])
            #expect(status == .unprocessableContent)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("\"field\":\"overall\"") && text.contains("\"field\":\"factors.speed\""))
            try await client.execute(uri: "/api/v1/feedback/AAAA-BBBB-CCCC", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func aTaskNotYetAcceptedTakesNoRating() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let (created, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("RATE-1"), as: analyst)
            #expect(created == .created)
            let (status, _, _) = try await Self.rate(client, ["task": "RATE-1", "overall": 5])
            #expect(status == .conflict)
        }
    }

    /// No e-mail, phone or citizen ID typed into a comment reaches the database or any answer.
    @Test func personalDataNeverReachesTheDatabaseNorAnyAnswer() async throws {
        try await withAppOnFile { client, arguments in
            let secrets = ["an.nguyen@example.vn", "0912 345 678", "0912345678", "001203004567"]
            let (status, data, _) = try await Self.rate(
                client,
                [
                    "unit": "01", "overall": 2,
                    "comment": "Tôi là an.nguyen@example.vn, gọi 0912 345 678, CCCD 001203004567 — chờ quá lâu",
                ])
            #expect(status == .created)
            let receipt = try JSONDecoder().decode(Received.self, from: data).receipt
            var answers = String(decoding: data, as: UTF8.self)
            for uri in ["/api/v1/feedback/\(receipt)", "/feedback/\(receipt)", "/feedback/\(receipt)?lang=en"] {
                answers += try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
            }
            guard case .sqliteFile(let path) = arguments.database else { throw CancellationError() }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            var stored = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                stored += try Data(contentsOf: folder.appendingPathComponent(name))
            }
            #expect(stored.range(of: Data("chờ quá lâu".utf8)) != nil, "the comment itself is kept")
            #expect(stored.range(of: Data("[***]".utf8)) != nil)
            for secret in secrets {
                #expect(stored.range(of: Data(secret.utf8)) == nil, "\(secret) is in the database")
                #expect(!answers.contains(secret), "\(secret) is in an answer")
            }
        }
    }

    @Test func floodsAreRefusedWithRetryAfterAndRobotsAreNotCounted() async throws {
        var arguments = TestArguments()
        arguments.feedbackLimits.perClient = .init(limit: 2, seconds: 600)
        try await withApp(arguments) { client in
            // A robot fills the field people never see: answered as received, nothing kept.
            var (status, data, _) = try await Self.rate(client, ["unit": "01", "overall": 5, "website": "http://spam"])
            #expect(status == .created)
            let robot = try JSONDecoder().decode(Received.self, from: data).receipt
            try await client.execute(uri: "/api/v1/feedback/\(robot)", method: .get) { #expect($0.status == .notFound) }

            for score in [3, 4] {
                (status, _, _) = try await Self.rate(client, ["unit": "01", "overall": score])
                #expect(status == .created)
            }
            var headers: HTTPFields
            (status, data, headers) = try await Self.rate(client, ["unit": "79", "overall": 5])
            #expect(status == .tooManyRequests)
            #expect(Int(headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(String(decoding: data, as: UTF8.self).contains("too-many-ratings"))
        }
    }

    @Test func anIdenticalCommentIsCountedOnce() async throws {
        try await withApp { client in
            var (status, _, _) = try await Self.rate(client, ["unit": "01", "overall": 1, "comment": "Chờ quá lâu"])
            #expect(status == .created)
            (status, _, _) = try await Self.rate(client, ["unit": "01", "overall": 1, "comment": "  chờ QUÁ   lâu "])
            #expect(status == .conflict)
            // The same words about another unit are another comment.
            (status, _, _) = try await Self.rate(client, ["unit": "79", "overall": 1, "comment": "Chờ quá lâu"])
            #expect(status == .created)
        }
    }

    /// The form, without an account or JavaScript: linked from a unit's profile, refused in the
    /// reader's language with what was typed kept, then received and followed on its receipt's page.
    @Test func theFormRatesAServiceInTheReadersLanguage() async throws {
        try await withApp { client in
            let profile = try await TaskPagesTests.page(client, "/units/01")
            #expect(profile.contains(#"<a id="unit-rate-link" href="/feedback/new?unit=01">"#))
            #expect(!(try await TaskPagesTests.page(client, "/units/BCD")).contains("unit-rate-link"))
            let task = try await Self.acceptedTask(client)
            #expect(try await TaskPagesTests.page(client, "/tasks/\(task)").contains(#"id="task-rate-link""#))

            let (cookie, form) = try await client.execute(uri: "/feedback/new?unit=01", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "private, no-store")
                return (response.cookie(named: "mandate_csrf")?.value ?? "", response.text)
            }
            #expect(form.contains(#"id="feedback-form""#) && form.contains(#"name="website""#))
            #expect(form.contains("Thành phố Hà Nội"))
            func post(_ body: String, lang: String = "vi") async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(
                    uri: "/feedback/new?lang=\(lang)", method: .post,
                    headers: [
                        .cookie: "mandate_csrf=\(cookie)", .contentType: "application/x-www-form-urlencoded",
                    ], body: ByteBuffer(string: "_csrf=\(cookie)&unit=01&" + body)
                ) { ($0.status, $0.text, $0.headers[.location]) }
            }
            var (status, page, location) = try await post(
                "factor_staff=4&comment=C%C3%A1n+b%E1%BB%99+t%E1%BA%ADn+t%C3%ACnh")
            #expect(status == .unprocessableContent)
            #expect(page.contains("overall: hãy chọn điểm từ 1 đến 5"))
            #expect(page.contains(#"id="feedback-staff-4" name="factor_staff" value="4" checked"#))
            #expect(page.contains("Cán bộ tận tình</textarea>"))
            (status, page, _) = try await post("factor_staff=4", lang: "en")
            #expect(status == .unprocessableContent && page.contains("overall: choose a score from 1 to 5"))

            (status, _, location) = try await post("overall=5&factor_staff=4&comment=T%E1%BB%91t")
            #expect(status == .seeOther)
            let path = try #require(location?.split(separator: "?").first.map(String.init))
            #expect(path.hasPrefix("/feedback/"))
            let receipt = try await TaskPagesTests.page(client, location ?? "")
            #expect(receipt.contains(#"id="feedback-receipt""#) && receipt.contains("Cảm ơn bạn"))
            #expect(receipt.contains("Công chức giải quyết: 4/5"))
            let english = try await TaskPagesTests.page(client, path + "?lang=en")
            #expect(english.contains("Your receipt:") && english.contains("the comment awaits moderation"))
        }
    }

    /// A unit's figures are published from 30 ratings, its communes' taken in for a province; the
    /// profile says when there are too few.
    @Test func figuresArePublishedFromThirtyRatingsAndRollUpToTheProvince() async throws {
        var arguments = TestArguments()
        arguments.feedbackLimits.perClient = .init(limit: 1_000, seconds: 600)
        try await withApp(arguments) { client in
            for score in Array(repeating: 5, count: 20) + Array(repeating: 2, count: 5) {
                let (status, _, _) = try await Self.rate(client, ["unit": "00004", "overall": score])
                #expect(status == .created)
            }
            struct Figures: Decodable {
                struct Figure: Decodable {
                    let n: Int
                    let shown: Bool
                    let share: Double?
                }
                let overall: Figure
            }
            var commune = try await client.json(Figures.self, "/api/v1/units/00004/satisfaction")
            #expect(commune.overall.n == 25 && !commune.overall.shown && commune.overall.share == nil)
            #expect(try await TaskPagesTests.page(client, "/units/00004").contains("chưa đủ đánh giá (25)"))
            for _ in 0..<5 { _ = try await Self.rate(client, ["unit": "01", "overall": 4]) }
            commune = try await client.json(Figures.self, "/api/v1/units/00004/satisfaction")
            #expect(commune.overall.n == 25)
            let province = try await client.json(Figures.self, "/api/v1/units/01/satisfaction")
            #expect(province.overall.n == 30 && province.overall.shown && province.overall.share == 25.0 / 30.0)
            let page = try await TaskPagesTests.page(client, "/units/01?lang=en")
            #expect(page.contains(#"id="satisfaction-overall""#) && page.contains(">83.33 %"))
            // The open data: counts per unit, month, measure and score, and nothing else.
            let month = Feedback.period(of: AppClock().now()) ?? ""
            let csv = try await client.execute(uri: "/open-data/satisfaction.csv", method: .get) {
                String(buffer: $0.body)
            }
            let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.first == "unit,period,measure,score,count")
            #expect(lines.contains("00004,\(month),overall,2,5") && lines.contains("00004,\(month),overall,5,20"))
            // (The demo's illustrative ratings are of the provinces in 2024 and 2025.)
            let now = lines.filter { !$0.contains(",2024-") && !$0.contains(",2025-") }
            #expect(lines.contains("01,\(month),overall,4,5") && now.count == 4)
            try await client.execute(uri: "/api/v1/units/01/satisfaction?period=2026-13", method: .get) {
                #expect($0.status == .badRequest)
            }
        }
    }

    /// A comment waits for its unit's head or the committee; published, it is shown on the unit's
    /// profile and readers may report it (which hides nothing); hidden with a reason, its rating
    /// still counts and the profile says why; every decision is audited.
    @Test func moderatorsPublishOrHideCommentsAndReadersReportThem() async throws {
        try await withApp { client in
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let admin = try await client.signIn("admin@demo.mandate.vn")
            var (status, data, _) = try await Self.rate(
                client, ["unit": "01", "overall": 2, "comment": "Phải chờ ba tuần mới có kết quả"])
            #expect(status == .created)
            let receipt = try JSONDecoder().decode(Received.self, from: data).receipt
            (status, data, _) = try await Self.rate(
                client, ["unit": "01", "overall": 5, "comment": "Lừa đảo, gọi số kia"])
            let second = try JSONDecoder().decode(Received.self, from: data).receipt

            // The head of 01 sees both; a reporter may not moderate.
            let queue = try await TaskPagesTests.page(client, "/feedback/moderation", as: head)
            let work = try await WorkPagesTests.page(client, as: head)
            #expect(work.contains(#"id="work-moderate""#) && work.contains("Phải chờ ba tuần mới có kết quả"))
            #expect(!(try await WorkPagesTests.page(client, as: reporter)).contains(#"id="work-moderate""#))
            #expect(queue.contains("Phải chờ ba tuần mới có kết quả") && queue.contains("Lừa đảo, gọi số kia"))
            try await client.execute(
                uri: "/feedback/moderation", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }
            func reference(_ comment: String) -> String {
                guard let before = queue.range(of: comment)?.lowerBound,
                    let item = queue[..<before].range(of: "id=\"comment-", options: .backwards)
                else { return "" }
                return String(queue[item.upperBound...].prefix(14))
            }
            let first = reference("Phải chờ ba tuần")
            let other = reference("Lừa đảo")
            #expect(first.count == 14 && other.count == 14)
            var location: String?
            (status, _, location) = try await TaskPagesTests.post(
                client, "/feedback/comments/\(first)/moderation", "decision=publish", as: reporter)
            #expect(status == .forbidden)
            (status, _, location) = try await TaskPagesTests.post(
                client, "/feedback/comments/\(first)/moderation", "decision=publish", as: head)
            #expect(status == .seeOther && location == "/feedback/moderation?done=published")
            let followed = try await client.json(Received.self, "/api/v1/feedback/\(receipt)")
            #expect(followed.state == "published" && followed.comment == "Phải chờ ba tuần mới có kết quả")
            var profile = try await TaskPagesTests.page(client, "/units/01")
            #expect(
                profile.contains("Phải chờ ba tuần mới có kết quả")
                    && profile.contains("/feedback/comments/\(first)/report"))

            // A reader's report puts it back in the queue, and hides nothing.
            try await client.execute(
                uri: "/api/v1/feedback/comments/\(first)/reports", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) {
                #expect($0.status == .accepted)
            }
            try await client.execute(
                uri: "/api/v1/feedback/comments/\(other)/reports", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) {
                #expect($0.status == .notFound)
            }
            #expect(
                try await TaskPagesTests.page(client, "/feedback/moderation", as: head).contains("bị báo cáo 1 lần"))
            #expect(try await client.json(Received.self, "/api/v1/feedback/\(receipt)").state == "published")

            // The committee hides the other for a reason; it still counts, and the profile says why.
            let (hidden, body) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(other)/moderation", ["decision": "hide", "reason": "abusive"],
                as: analyst)
            #expect(hidden == .ok)
            #expect(String(decoding: body, as: UTF8.self).contains("\"hiddenReason\":\"abusive\""))
            let (again, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(other)/moderation", ["decision": "hide", "reason": "abusive"],
                as: analyst)
            #expect(again == .conflict)
            let (unreasoned, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(other)/moderation", ["decision": "hide"], as: analyst)
            #expect(unreasoned == .unprocessableContent)
            #expect(try await client.json(Received.self, "/api/v1/feedback/\(second)").state == "hidden")
            profile = try await TaskPagesTests.page(client, "/units/01")
            #expect(profile.contains("1 ý kiến bị ẩn (xúc phạm, đe dọa hoặc kích động thù ghét: 1)"))
            #expect(!profile.contains("Lừa đảo"))
            struct Figures: Decodable {
                struct Figure: Decodable { let n: Int }
                let overall: Figure
            }
            #expect(try await client.json(Figures.self, "/api/v1/units/01/satisfaction").overall.n == 2)

            struct Audit: Decodable {
                struct Event: Decodable {
                    let action: String
                    let target: String?
                    let allowed: Bool
                }
                let items: [Event]
            }
            let audit = try await client.json(Audit.self, "/api/v1/audit?limit=50", headers: admin.headers)
            let moderations = audit.items.filter { $0.action == "moderate_feedback" }
            #expect(moderations.contains { $0.target == "feedback:\(first)" && $0.allowed })
            #expect(moderations.contains { $0.target == "feedback:\(other)" && $0.allowed })
            #expect(moderations.contains { !$0.allowed })
            _ = second
        }
    }

    /// A published comment waits for its unit's answer: an interim reply moves the due day once,
    /// the answer is public on the receipt's page, and only the unit's officials and the committee
    /// write them.
    @Test func theUnitAnswersAPublishedComment() async throws {
        try await withApp { client in
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let other = try await client.signIn("reporter.most@demo.mandate.vn")
            let (_, data, _) = try await Self.rate(
                client, ["unit": "01", "overall": 1, "comment": "Hồ sơ bị trả lại ba lần"])
            let receipt = try JSONDecoder().decode(Received.self, from: data).receipt
            let queue = try await TaskPagesTests.page(client, "/feedback/moderation", as: head)
            let start = try #require(queue.range(of: "id=\"comment-")).upperBound
            let reference = String(queue[start...].prefix(14))
            var (status, _, location) = try await TaskPagesTests.post(
                client, "/feedback/comments/\(reference)/moderation", "decision=publish", as: head)
            #expect(status == .seeOther)

            struct Followed: Decodable {
                let answerDue: String?
                let interim: String?
                let answer: String?
            }
            let due = try #require(try await client.json(Followed.self, "/api/v1/feedback/\(receipt)").answerDue)
            #expect(try await WorkPagesTests.page(client, as: reporter).contains(#"id="work-answerFeedback""#))
            #expect(
                try await TaskPagesTests.page(client, "/feedback/answers", as: reporter).contains(
                    "Hồ sơ bị trả lại ba lần"))
            try await client.execute(
                uri: "/feedback/answers", method: .get, headers: [.cookie: "mandate_session=\(other.cookie)"]
            ) { #expect($0.status == .ok) }
            let (refused, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(reference)/answer", ["answer": "x"], as: other)
            #expect(refused == .forbidden)

            (status, _, location) = try await TaskPagesTests.post(
                client, "/feedback/comments/\(reference)/answer", "answer=%C4%90ang+x%C3%A1c+minh&interim=yes",
                as: reporter)
            #expect(status == .seeOther && location == "/feedback/answers?done=interim")
            var followed = try await client.json(Followed.self, "/api/v1/feedback/\(receipt)")
            #expect(followed.interim == "Đang xác minh" && followed.answerDue != due)
            (status, _, _) = try await TaskPagesTests.post(
                client, "/feedback/comments/\(reference)/answer", "answer=L%E1%BA%A7n+hai&interim=yes", as: reporter)
            #expect(status == .unprocessableContent)

            let (answered, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(reference)/answer", ["answer": "Đã hướng dẫn bổ sung hồ sơ"],
                as: head)
            #expect(answered == .ok)
            followed = try await client.json(Followed.self, "/api/v1/feedback/\(receipt)")
            #expect(followed.answer == "Đã hướng dẫn bổ sung hồ sơ")
            let page = try await TaskPagesTests.page(client, "/feedback/\(receipt)?lang=en")
            #expect(page.contains("Đã hướng dẫn bổ sung hồ sơ") && page.contains("Đang xác minh"))
            #expect(
                !(try await TaskPagesTests.page(client, "/feedback/answers", as: reporter)).contains("Hồ sơ bị trả lại")
            )

            // The citizen, unsatisfied, rates the answer 2 from the receipt's page: an appeal to
            // the committee (the province's parent), which answers it.
            let (token, receiptPage) = try await client.execute(uri: "/feedback/\(receipt)", method: .get) { response in
                (response.cookie(named: "mandate_csrf")?.value ?? "", response.text)
            }
            #expect(receiptPage.contains(#"id="feedback-rate-answer""#))
            let rated = try await client.execute(
                uri: "/feedback/\(receipt)/answer-rating", method: .post,
                headers: [.cookie: "mandate_csrf=\(token)", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(token)&score=2")
            ) { ($0.status, $0.headers[.location]) }
            #expect(rated.0 == .seeOther && rated.1 == "/feedback/\(receipt)?done=rated")
            struct Appeal: Decodable {
                let answerRating: Int?
                let appealUnit: String?
                let appealAnswer: String?
            }
            #expect(try await client.json(Appeal.self, "/api/v1/feedback/\(receipt)").appealUnit == "BCD")
            try await client.execute(
                uri: "/api/v1/feedback/\(receipt)/answer-rating", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"score": 1}"#)
            ) { #expect($0.status == .unprocessableContent) }
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            #expect(
                try await TaskPagesTests.page(client, "/feedback/answers", as: analyst).contains(
                    "Hồ sơ bị trả lại ba lần"))
            #expect(
                !(try await TaskPagesTests.page(client, "/feedback/answers", as: head)).contains("Hồ sơ bị trả lại"))
            let (refusedAppeal, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(reference)/answer", ["answer": "x"], as: head)
            #expect(refusedAppeal == .forbidden)
            let (appealAnswered, _) = try await TasksAPITests.post(
                client, "/api/v1/feedback/comments/\(reference)/answer",
                ["answer": "Ban Chỉ đạo đã yêu cầu tỉnh xử lý"],
                as: analyst)
            #expect(appealAnswered == .ok)
            let appeal = try await client.json(Appeal.self, "/api/v1/feedback/\(receipt)")
            #expect(appeal.answerRating == 2 && appeal.appealAnswer == "Ban Chỉ đạo đã yêu cầu tỉnh xử lý")
            #expect(
                try await TaskPagesTests.page(client, "/feedback/\(receipt)").contains(
                    "Ban Chỉ đạo đã yêu cầu tỉnh xử lý"))
        }
    }
}
