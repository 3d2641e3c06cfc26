import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// `/units/{code}/users`: a unit's accounts, and the administrator's reset link made from the page.
@Suite struct UnitAccountsPagesTests {
    static func page(
        _ client: some TestClientProtocol, _ uri: String, as user: SignedIn?, method: HTTPRequest.Method = .get
    ) async throws -> (status: HTTPResponse.Status, text: String, location: String?) {
        var headers: HTTPFields = [.cookie: "lang=en" + (user.map { "; mandate_session=\($0.cookie)" } ?? "")]
        if method == .post { headers[.contentType] = "application/x-www-form-urlencoded" }
        let body = method == .post ? ByteBuffer(string: "_csrf=\(user?.csrf ?? "")") : nil
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) {
            ($0.status, $0.text, $0.headers[.location])
        }
    }

    struct Listing: Decodable {
        struct Item: Decodable {
            let id: String
            let email: String
        }
        let items: [Item]
    }

    @Test func anAdministratorMakesAResetLinkFromTheUnitsAccounts() async throws {
        try await withApp { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            #expect(try await Self.page(client, "/units/01/users", as: nil).location == "/login")

            let listed = try await Self.page(client, "/units/01/users", as: admin)
            #expect(listed.status == .ok)
            #expect(listed.text.contains("reporter.hanoi@demo.mandate.vn") && listed.text.contains("head.hanoi@demo"))
            #expect(!listed.text.contains("admin@demo.mandate.vn</dd>"))
            #expect(listed.text.components(separatedBy: #"class="reset-form""#).count - 1 == 2)
            // The unit's own reporter reads the list but makes no link.
            let asReporter = try await Self.page(client, "/units/01/users", as: reporter)
            #expect(asReporter.status == .ok && !asReporter.text.contains(#"class="reset-form""#))
            // Only administrators are offered the page from their account page.
            #expect(try await Self.page(client, "/account", as: admin).text.contains(#"id="unit-accounts-link""#))
            #expect(try await !Self.page(client, "/account", as: reporter).text.contains(#"id="unit-accounts-link""#))

            let users = try await client.json(Listing.self, "/api/v1/users?unit=01", headers: admin.headers).items
            let target = try #require(users.first { $0.email == "reporter.hanoi@demo.mandate.vn" })
            let uri = "/units/01/users/\(target.id)/password-reset"
            #expect(try await Self.page(client, uri, as: reporter, method: .post).status == .forbidden)
            #expect(
                try await Self.page(client, "/units/79/users/\(target.id)/password-reset", as: admin, method: .post)
                    .status == .notFound)

            let made = try await Self.page(client, uri, as: admin, method: .post)
            #expect(made.status == .ok && made.text.contains(#"id="reset-link""#))
            let link = try #require(made.text.firstMatch(of: /value="[^"]*(\/password-reset\/[A-Za-z0-9_-]{43})"/)?.1)
            let opened = try await Self.page(client, String(link), as: nil)
            #expect(opened.status == .ok && opened.text.contains("reporter.hanoi@demo.mandate.vn"))
            // A second link replaces the first.
            _ = try await Self.page(client, uri, as: admin, method: .post)
            #expect(try await Self.page(client, String(link), as: nil).status == .notFound)
        }
    }
}
