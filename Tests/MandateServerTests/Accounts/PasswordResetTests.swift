import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// One-time links to set a password (`PasswordReset`): made by an administrator of the account's
/// unit, used once by the account's owner on a page that needs no sign-in.
@Suite struct PasswordResetTests {
    typealias Time = SecondFactorAPITests.Time
    static let clerk = "clerk@example.vn"
    static let clerkPassword = "the clerk's first passphrase"
    static let form: HTTPFields = [
        .contentType: "application/x-www-form-urlencoded", .cookie: "mandate_csrf=reset-form; lang=en",
    ]

    struct Issued: Decodable {
        let userId: String
        let path: String
        let expiresAt: String
    }
    struct Created: Decodable { let id: String }

    /// A reporter of Hà Nội made by the demo's administrator; its id.
    static func newClerk(_ client: some TestClientProtocol, _ admin: SignedIn) async throws -> String {
        let created = try await SecondFactorAPITests.post(
            client, "/api/v1/users", admin.headers,
            SecondFactorAPITests.json([
                "email": clerk, "displayName": "Clerk", "unitCode": "01", "role": "unit_reporter",
                "password": clerkPassword,
            ]))
        #expect(created.status == .created, "\(created.text)")
        return try JSONDecoder().decode(Created.self, from: Data(buffer: created.body)).id
    }

    static func issue(
        _ client: some TestClientProtocol, _ id: String, by user: SignedIn
    ) async throws -> TestResponse {
        try await SecondFactorAPITests.post(client, "/api/v1/users/\(id)/password-reset", user.headers, "")
    }

    static func setPassword(
        _ client: some TestClientProtocol, _ path: String, _ new: String, repeated: String? = nil
    ) async throws -> TestResponse {
        let body = [("_csrf", "reset-form"), ("newPassword", new), ("repeatPassword", repeated ?? new)]
            .map { "\($0)=\($1.formEncoded)" }.joined(separator: "&")
        return try await SecondFactorAPITests.post(client, path, form, body)
    }

    static func signsIn(_ client: some TestClientProtocol, _ password: String) async throws -> Bool {
        let body = SecondFactorAPITests.json(["email": clerk, "password": password])
        return try await client.execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body)
        ) { $0.status == .ok || $0.status == .created }
    }

    @Test func anAdministratorsLinkSetsANewPasswordOnce() async throws {
        let time = Time()
        try await withApp(SecondFactorAPITests.arguments(time)) { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let id = try await Self.newClerk(client, admin)
            let session = try await client.signIn(Self.clerk, password: Self.clerkPassword)

            // Only an administrator of the account's unit makes one, and not for their own account.
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            #expect(try await Self.issue(client, id, by: reporter).status == .forbidden)
            let own = try await client.json(SecondFactorAPITests.Info.self, "/api/v1/session", headers: admin.headers)
            #expect(try await Self.issue(client, own.user.id, by: admin).status == .conflict)

            let made = try await Self.issue(client, id, by: admin)
            #expect(made.status == .created)
            let issued = try JSONDecoder().decode(Issued.self, from: Data(buffer: made.body))
            #expect(issued.userId == id && issued.path.wholeMatch(of: /\/password-reset\/[A-Za-z0-9_-]{43}/) != nil)
            #expect(
                Timestamp.date(issued.expiresAt)
                    == Timestamp.date(Timestamp.string(time.now.addingTimeInterval(48 * 3600))))

            // The page names the account, is never kept, and sends no referrer.
            let page = try await client.execute(
                uri: issued.path, method: .get, headers: [.cookie: "lang=en"]
            ) { $0 }
            #expect(page.status == .ok && page.text.contains(Self.clerk) && page.text.contains(#"id="reset-form""#))
            #expect(page.headers[.cacheControl] == "private, no-store")
            #expect(page.headers[values: .referrerPolicy] == ["no-referrer"])
            #expect(page.cookie(named: "mandate_csrf") != nil)

            // Refused passwords say why, in the page's language, and change nothing.
            let differ = try await Self.setPassword(
                client, issued.path, "a brand new passphrase", repeated: "another one")
            #expect(differ.status == .unprocessableContent && differ.text.contains("The two passwords differ"))
            let short = try await Self.setPassword(client, issued.path, "too short")
            #expect(short.status == .unprocessableContent && short.text.contains("at least 12 characters"))
            #expect(!short.text.contains("too short\""))
            #expect(try await Self.signsIn(client, Self.clerkPassword))

            let done = try await Self.setPassword(client, issued.path, "a brand new passphrase")
            #expect(done.status == .seeOther && done.headers[.location] == "/login?done=reset")
            #expect(try await Self.signsIn(client, "a brand new passphrase"))
            #expect(try await !Self.signsIn(client, Self.clerkPassword))
            // The sessions of the old password ended.
            try await client.execute(uri: "/api/v1/session", method: .get, headers: session.headers) {
                #expect($0.status == .unauthorized)
            }
            // Once only.
            let again = try await client.execute(uri: issued.path, method: .get, headers: [.cookie: "lang=en"]) { $0 }
            #expect(again.status == .gone && again.text.contains("used already") && !again.text.contains(Self.clerk))
            #expect(try await Self.setPassword(client, issued.path, "a third passphrase here").status == .gone)
            #expect(try await !Self.signsIn(client, "a third passphrase here"))
        }
    }

    @Test func aLinkIsReplacedByANewerOneExpiresAndStopsWithItsAccount() async throws {
        let time = Time()
        try await withApp(SecondFactorAPITests.arguments(time)) { client in
            var admin = try await client.signIn("admin@demo.mandate.vn")
            let id = try await Self.newClerk(client, admin)
            func link() async throws -> String {
                try JSONDecoder().decode(
                    Issued.self, from: Data(buffer: try await Self.issue(client, id, by: admin).body)
                )
                .path
            }
            func status(_ path: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .get, headers: [.cookie: "lang=en"]) { $0.status }
            }
            let first = try await link()
            let second = try await link()
            #expect(try await status(first) == .notFound)
            #expect(try await status("/password-reset/not-a-link") == .notFound)
            time.advance(48 * 3600 - 1)
            #expect(try await status(second) == .ok)
            time.advance(1)
            #expect(try await status(second) == .gone)
            #expect(try await Self.setPassword(client, second, "a brand new passphrase").status == .gone)

            // The administrator's session ended meanwhile.
            admin = try await client.signIn("admin@demo.mandate.vn")
            let third = try await link()
            let disabled = try await SecondFactorAPITests.post(
                client, "/api/v1/users/\(id)/disable", admin.headers, "")
            #expect(disabled.status == .ok)
            #expect(try await status(third) == .gone)
            #expect(try await Self.issue(client, id, by: admin).status == .conflict)
            #expect(try await !Self.signsIn(client, "a brand new passphrase"))
        }
    }

    @Test func theLogsNeverHoldALinksSecret() {
        let path = "/password-reset/" + String(repeating: "a", count: 43)
        #expect(PasswordResetPages.loggedPath(path) == "/password-reset/…")
        #expect(!PasswordResetPages.loggedPath(path + "?lang=en").contains("aaaa"))
        #expect(PasswordResetPages.loggedPath("/units/01?lang=en") == "/units/01?lang=en")
    }
}
