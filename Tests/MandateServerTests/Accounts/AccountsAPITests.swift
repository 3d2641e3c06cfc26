import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateCore
import MandateStore
import SQLKit
import Testing

@testable import MandateServer

@Suite struct AccountsAPITests {
    struct TokenBody: Decodable {
        let id: String
        let name: String
        let token: String?
        let revokedAt: String?
    }
    struct Items<T: Decodable>: Decodable {
        let items: [T]
    }
    struct AuditBody: Decodable {
        let action: String
        let targetUnit: String?
        let allowed: Bool
        let reason: String?
    }

    @Test func wrongPasswordIsRefusedWithoutACookie() async throws {
        try await withApp { client in
            let body = ByteBuffer(string: #"{"email":"admin@demo.mandate.vn","password":"not-the-password"}"#)
            try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body
            ) { response in
                #expect(response.status == .unauthorized)
                #expect((try? response.problem())?.type == "/problems/invalid-credentials")
                #expect(response.cookie(named: "mandate_session") == nil)
            }
        }
    }

    @Test func sessionCookieIsHttpOnlyAndSameSiteAndSecureBehindTLS() async throws {
        try await withApp { client in
            let body = ByteBuffer(string: #"{"email":"admin@demo.mandate.vn","password":"mandate-demo"}"#)
            for (proto, secure) in [("http", false), ("https", true)] {
                try await client.execute(
                    uri: "/api/v1/session", method: .post,
                    headers: [.contentType: "application/json", .xForwardedProto: proto], body: body
                ) { response in
                    // Over TLS the name carries the __Host- prefix: Secure, Path=/, no Domain.
                    let name = secure ? "__Host-mandate_session" : "mandate_session"
                    #expect(response.cookie(named: secure ? "mandate_session" : "__Host-mandate_session") == nil)
                    let cookie = try #require(response.cookie(named: name))
                    #expect(cookie.attributes.contains("Path=/") && !cookie.attributes.contains("Domain"))
                    #expect(cookie.attributes.contains("HttpOnly"))
                    #expect(cookie.attributes.contains("SameSite=Lax"))
                    #expect(cookie.attributes.contains("Secure") == secure)
                    #expect(cookie.value.count >= 43)
                }
            }
        }
    }

    @Test func signInRenewsTheSessionAndSignOutEndsIt() async throws {
        try await withApp { client in
            let first = try await client.signIn("admin@demo.mandate.vn")
            let second = try await client.signIn(
                "admin@demo.mandate.vn", headers: [.cookie: "mandate_session=\(first.cookie)", .xCSRFToken: first.csrf])
            #expect(first.cookie != second.cookie)
            // Signing in again ended the session the request came with.
            try await client.execute(uri: "/api/v1/session", method: .get, headers: first.headers) { response in
                #expect(response.status == .unauthorized)
            }
            let me = try await client.json(SessionInfoBody.self, "/api/v1/session", headers: second.headers)
            #expect(me.user.email == "admin@demo.mandate.vn" && me.user.role == "admin")
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: second.headers) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/session", method: .get, headers: second.headers) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func writesWithACookieNeedTheCSRFToken() async throws {
        try await withApp { client in
            let session = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var headers = session.headers
            headers[.xCSRFToken] = nil
            try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: headers, body: ByteBuffer(string: #"{"name":"x"}"#)
            ) { response in
                #expect(response.status == .forbidden)
            }
            headers[.xCSRFToken] = "forged"
            try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: headers, body: ByteBuffer(string: #"{"name":"x"}"#)
            ) { response in
                #expect(response.status == .forbidden)
            }
            let tokens = try await client.json(Items<TokenBody>.self, "/api/v1/tokens", headers: session.headers)
            #expect(tokens.items.isEmpty)
        }
    }

    @Test func tokensAuthenticateMachineClientsUntilRevoked() async throws {
        try await withApp { client in
            let session = try await client.signIn("reporter.most@demo.mandate.vn")
            let issued = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: session.headers,
                body: ByteBuffer(string: #"{"name":"ministry data sync","password":"\#(demoPassword)"}"#)
            ) { response in
                #expect(response.status == .created)
                return try JSONDecoder().decode(TokenBody.self, from: Data(buffer: response.body))
            }
            let secret = try #require(issued.token)
            #expect(secret.hasPrefix("mdt_"))
            let bearer: HTTPFields = [.authorization: "Bearer \(secret)"]
            let me = try await client.json(SessionInfoBody.self, "/api/v1/session", headers: bearer)
            #expect(me.user.email == "reporter.most@demo.mandate.vn" && me.csrfToken == nil)
            let listed = try await client.json(Items<TokenBody>.self, "/api/v1/tokens", headers: bearer)
            #expect(listed.items.map(\.name) == ["ministry data sync"])
            #expect(listed.items.allSatisfy { $0.token == nil })
            // A bearer write needs no CSRF token.
            try await client.execute(uri: "/api/v1/tokens/\(issued.id)", method: .delete, headers: bearer) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/session", method: .get, headers: bearer) { response in
                #expect(response.status == .unauthorized)
                #expect((try? response.problem())?.type == "/problems/invalid-token")
            }
            let after = try await client.json(Items<TokenBody>.self, "/api/v1/tokens", headers: session.headers)
            #expect(after.items.first?.revokedAt != nil)
        }
    }

    @Test func onlyAdministratorsCreateAccountsAndDenialsAreAudited() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let newUser =
                #"{"email":"New.Reporter@HaNoi.gov.vn","unitCode":"01","role":"unit_reporter","password":"a long passphrase"}"#
            try await client.execute(
                uri: "/api/v1/users", method: .post, headers: reporter.headers, body: ByteBuffer(string: newUser)
            ) { response in
                #expect(response.status == .forbidden)
                #expect((try? response.problem())?.detail?.contains("administrators") == true)
            }
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let audit = try await client.json(
                Items<AuditBody>.self, "/api/v1/audit?denied=true", headers: admin.headers)
            #expect(audit.items.first?.action == "manage_accounts" && audit.items.first?.targetUnit == "01")
            #expect(audit.items.first?.allowed == false)

            try await client.execute(
                uri: "/api/v1/users", method: .post, headers: admin.headers, body: ByteBuffer(string: newUser)
            ) { response in
                #expect(response.status == .created)
            }
            let created = try await client.signIn("new.reporter@hanoi.gov.vn", password: "a long passphrase")
            let me = try await client.json(SessionInfoBody.self, "/api/v1/session", headers: created.headers)
            #expect(me.user.unitCode == "01" && me.user.role == "unit_reporter")
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: created.headers) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test(arguments: [
        (#"{"email":"x@y.vn","unitCode":"01","role":"unit_reporter","password":"short"}"#, "password", 422),
        (#"{"email":"x@y.vn","unitCode":"01","role":"chief","password":"a long passphrase"}"#, "role", 400),
        (#"{"email":"not an email","unitCode":"01","role":"viewer","password":"a long passphrase"}"#, "email", 422),
        // A zero-width space would make a second "admin@demo.mandate.vn" that looks like the first.
        (
            #"{"email":"ad\u200bmin@demo.mandate.vn","unitCode":"01","role":"viewer","password":"a long passphrase"}"#,
            "email", 422
        ),
        (#"{"email":"x@y.vn","unitCode":"nowhere","role":"viewer","password":"a long passphrase"}"#, "unit", 404),
        (#"{"email":"x@y.vn","role":"viewer","password":"a long passphrase"}"#, "unitCode", 400),
        (
            #"{"email":"admin@demo.mandate.vn","unitCode":"01","role":"viewer","password":"a long passphrase"}"#,
            "email", 422
        ),
    ])
    func badAccountsNameTheirFieldAndChangeNothing(body: String, field: String, status: Int) async throws {
        try await withApp { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            try await client.execute(
                uri: "/api/v1/users", method: .post, headers: admin.headers, body: ByteBuffer(string: body)
            ) {
                response in
                #expect(Int(response.status.code) == status)
                #expect((try? response.problem())?.errors?.first?.field == field)
            }
            struct UserBody: Decodable { let email: String }
            let users = try await client.json(Items<UserBody>.self, "/api/v1/users?unit=01", headers: admin.headers)
            #expect(users.items.map(\.email) == ["head.hanoi@demo.mandate.vn", "reporter.hanoi@demo.mandate.vn"])
        }
    }

    @Test func nonJSONAndMalformedBodiesAreRefused() async throws {
        try await withApp { client in
            let admin = try await client.signIn("admin@demo.mandate.vn")
            var headers = admin.headers
            headers[.contentType] = "text/plain"
            try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: headers, body: ByteBuffer(string: #"{"name":"x"}"#)
            ) {
                response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: admin.headers, body: ByteBuffer(string: "{nope")
            ) {
                response in
                #expect(response.status == .badRequest)
                #expect((try? response.problem())?.errors?.first?.field == "body")
            }
        }
    }

    @Test func readingAnotherUnitsAccountsNeedsRightsOverIt() async throws {
        try await withApp { client in
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            try await client.execute(uri: "/api/v1/users?unit=48", method: .get, headers: head.headers) { response in
                #expect(response.status == .forbidden)
            }
            struct UserBody: Decodable { let email: String }
            let own = try await client.json(Items<UserBody>.self, "/api/v1/users", headers: head.headers)
            #expect(own.items.count == 2)
        }
    }
}

@Suite struct SignInFormTests {
    /// A browser posts `text/plain` across sites without asking: the sign-in form's CSRF check
    /// applies whatever the content type, not only to form-encoded posts.
    @Test func theSignInFormNeedsItsTokenWhateverTheContentType() async throws {
        try await withApp { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: type],
                    body: ByteBuffer(string: "email=viewer%40demo.mandate.vn&password=mandate-demo")
                ) { response in
                    #expect(response.status == .forbidden, "\(type)")
                    #expect(response.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("mandate_session=") })
                }
            }
            // JSON needs no token: browsers send it across sites only after a CORS preflight.
            #expect(AuthenticationMiddleware.isJSON("application/json; charset=utf-8"))
            #expect(AuthenticationMiddleware.isJSON("application/problem+json"))
            #expect(!AuthenticationMiddleware.isJSON("text/plain; charset=application/json"))
        }
    }

    /// With `--secure-cookies` (TLS ends in front of the server) every answer carries HSTS,
    /// without the client having to send `X-Forwarded-Proto: https`.
    /// With `--secure-cookies` the session lives only in the `__Host-` cookie: the plain name, which
    /// a plain-HTTP page or a sibling subdomain could set, is not believed.
    @Test func withSecureCookiesOnlyTheHostPrefixedSessionCookieIsBelieved() async throws {
        var arguments = TestArguments()
        arguments.secureCookies = true
        try await withApp(arguments) { client in
            let body = ByteBuffer(string: #"{"email":"admin@demo.mandate.vn","password":"mandate-demo"}"#)
            let value = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body
            ) { response in
                #expect(response.cookie(named: "mandate_session") == nil)
                return try #require(response.cookie(named: "__Host-mandate_session")).value
            }
            for (name, expected) in [
                ("__Host-mandate_session", HTTPResponse.Status.ok), ("mandate_session", .unauthorized),
            ] {
                try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: "\(name)=\(value)"]) {
                    #expect($0.status == expected, "\(name)")
                }
            }
        }
    }

    @Test func secureCookiesAlsoSendHSTS() async throws {
        var arguments = TestArguments()
        arguments.secureCookies = true
        try await withApp(arguments) { client in
            for uri in ["/", "/api/v1/units?kind=province", "/login"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true, "\(uri)")
                }
            }
        }
        try await withApp { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.strictTransportSecurity] == nil)
            }
        }
    }
}

@Suite struct SignInThrottleAPITests {
    static let wrong = ByteBuffer(string: #"{"email":"viewer@demo.mandate.vn","password":"wrong password!"}"#)
    static let right = ByteBuffer(string: #"{"email":"viewer@demo.mandate.vn","password":"mandate-demo"}"#)

    func attempt(_ client: any TestClientProtocol, _ body: ByteBuffer) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: body
        ) { $0.status }
    }

    /// Five wrong passwords from one client are free; the sixth attempt, right password or not,
    /// waits (429 with Retry-After) until a second after the fifth failure. The clock is fixed, so
    /// the second never passes.
    @Test func theSixthAttemptFromAClientWaitsWithRetryAfter() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2026-03-01T08:00:00Z")
        try await withApp(arguments) { client in
            for _ in 0..<5 {
                let status = try await attempt(client, Self.wrong)
                #expect(status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: Self.right
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect((try? response.problem())?.type == "/problems/too-many-attempts")
            }
        }
    }

    /// The counts are in the database: a restart (a second application on the same file) still
    /// refuses, and the owner signing in from another address is not refused at all.
    @Test func countsHoldAcrossARestartAndNeverLockTheOwnerOutFromElsewhere() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("throttle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = TestArguments()
        arguments.database = .sqliteFile(path: folder.appendingPathComponent("db.sqlite").path)
        arguments.clock = .fixed("2026-03-01T08:00:00Z")
        try await withApp(arguments) { client in
            for _ in 0..<5 {
                let status = try await attempt(client, Self.wrong)
                #expect(status == .unauthorized)
            }
        }
        try await withApp(arguments) { client in
            let status = try await attempt(client, Self.right)
            #expect(status == .tooManyRequests)
        }
        let opened = try await DatabaseConnector.open(
            arguments.database, clock: arguments.clock, logger: Logger(label: "test"))
        let store = Store(database: opened.database)
        let service = AccountService(
            accounts: store.accounts, settings: store.settings, hasher: PasswordHasher(cost: 10), clock: store.clock)
        // The router's test client has no address (""); the owner comes from another one.
        await #expect(throws: AppError.self) {
            try await service.signIn(email: "viewer@demo.mandate.vn", password: demoPassword, client: "")
        }
        // However many more the attacker tries (the old rule locked the account after ten, for
        // everyone), the owner elsewhere is let in.
        for _ in 0..<12 {
            _ = try? await service.signIn(email: "viewer@demo.mandate.vn", password: "wrong", client: "203.0.113.5")
        }
        let owner = try await service.signIn(
            email: "viewer@demo.mandate.vn", password: demoPassword, client: "192.0.2.7")
        #expect(owner?.signedIn?.user.email == "viewer@demo.mandate.vn")
        await opened.database.close()
    }

    /// Spraying many accounts from one address: thirty failures are free, then the address waits,
    /// whatever account it tries next.
    @Test func oneAddressSprayingAccountsIsSlowed() async throws {
        let (opened, _, service) = try await Self.demoAccounts()
        for n in 0..<30 {
            let result = try await service.signIn(
                email: "nobody\(n)@example.vn", password: "wrong", client: "198.51.100.9")
            #expect(result == nil)
        }
        await #expect(throws: AppError.self) {
            try await service.signIn(email: "viewer@demo.mandate.vn", password: demoPassword, client: "198.51.100.9")
        }
        let elsewhere = try await service.signIn(
            email: "viewer@demo.mandate.vn", password: demoPassword, client: "203.0.113.1")
        #expect(elsewhere != nil)
        // Nothing personal is stored: the keys are keyed hashes.
        let keys = try await opened.database.read { db in
            try await db.select().column("key").from("sign_in_failures").all(decodingColumn: "key", as: String.self)
        }
        #expect(keys.count == 31)
        #expect(keys.allSatisfy { !$0.contains("example.vn") && !$0.contains("198.51") })
        await opened.database.close()
    }

    /// The password given again (to mint a token or change the password) is throttled per account
    /// like a sign-in: five wrong ones are free, then even the right one waits (ASVS 5, 6.3.4).
    @Test func aPasswordGivenAgainIsThrottled() async throws {
        let (opened, store, service) = try await Self.demoAccounts()
        let viewer = try #require(try await store.accounts.credentials(email: "viewer@demo.mandate.vn")?.user)
        for _ in 0..<5 {
            await #expect(throws: AppError.self) {
                try await service.issueToken(for: viewer, name: "t", password: "wrong password!", days: nil)
            }
        }
        do {
            _ = try await service.changePassword(of: viewer, current: demoPassword, new: "a new long passphrase")
            Issue.record("the sixth attempt was not throttled")
        } catch let error as AppError {
            #expect(error.status == .tooManyRequests && error.retryAfter == 1)
        }
        // Another account is not slowed.
        let head = try #require(try await store.accounts.credentials(email: "head.hanoi@demo.mandate.vn")?.user)
        _ = try await service.issueToken(for: head, name: "t", password: demoPassword, days: nil)
        await opened.database.close()
    }

    /// The demo's accounts in a database in memory, on a clock that stands still, and the service
    /// that signs them in.
    static func demoAccounts() async throws -> (OpenedDatabase, Store, AccountService) {
        let clock = AppClock.fixed("2026-03-01T08:00:00Z")
        let opened = try await DatabaseConnector.open(.sqliteMemory, clock: clock, logger: Logger(label: "test"))
        let store = Store(database: opened.database)
        try await store.prepare(demo: true, logger: Logger(label: "test"))
        let service = AccountService(
            accounts: store.accounts, settings: store.settings, hasher: PasswordHasher(cost: 10), clock: store.clock)
        return (opened, store, service)
    }
}
