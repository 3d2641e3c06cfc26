import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Synchronization
import Testing

@testable import MandateServer

/// The second factor over HTTP: an administrator's account without one may only set one up;
/// once set up, signing in (by the API or the page) asks for its code, each code works once, a
/// recovery code once; an administrator resets a lost one.
@Suite struct SecondFactorAPITests {
    /// A clock the test moves (codes change every 30 s).
    final class Time: Sendable {
        let date = Mutex(Date(timeIntervalSince1970: 1_796_000_000))
        func advance(_ seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var clock: AppClock { AppClock { [self] in date.withLock { $0 } } }
        var now: Date { date.withLock { $0 } }
    }

    static let chief = "chief@example.vn"
    static let chiefPassword = "a long passphrase for the chief"

    struct Offer: Decodable {
        let secret: String
        let uri: String
    }
    struct Codes: Decodable {
        let recoveryCodes: [String]
    }
    struct Info: Decodable {
        struct UserBody: Decodable {
            let id: String
            let secondFactor: Bool
        }
        let user: UserBody
        let secondFactorSetupRequired: Bool
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields, _ body: String
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
    }

    static func json(_ fields: [String: String]) -> String {
        String(decoding: (try? JSONEncoder().encode(fields)) ?? Data(), as: UTF8.self)
    }

    /// A new administrator (the demo's are exempt while the demo runs), signed in with its password.
    static func newAdministrator(_ client: some TestClientProtocol) async throws -> SignedIn {
        let admin = try await client.signIn("admin@demo.mandate.vn")
        let created = try await post(
            client, "/api/v1/users", admin.headers,
            json([
                "email": chief, "displayName": "Chief", "unitCode": "BCD", "role": "admin",
                "password": chiefPassword,
            ]))
        #expect(created.status == .created || created.status == .ok, "\(created.text)")
        return try await client.signIn(chief, password: chiefPassword)
    }

    /// Sets up the second factor for `session`'s account: its secret and recovery codes.
    static func enrol(
        _ client: some TestClientProtocol, _ session: SignedIn, at time: Time
    ) async throws
        -> (TOTP, [String])
    {
        let offered = try await post(
            client, "/api/v1/session/second-factor", session.headers, json(["password": chiefPassword]))
        #expect(offered.status == .ok)
        let offer = try JSONDecoder().decode(Offer.self, from: Data(buffer: offered.body))
        #expect(offer.uri.hasPrefix("otpauth://totp/") && offer.uri.contains("secret=\(offer.secret)"))
        let totp = TOTP(secret: try #require(Base32.decode(offer.secret)))
        let step = TOTP.step(at: time.now)
        let confirmed = try await post(
            client, "/api/v1/session/second-factor/confirm", session.headers,
            json(["code": totp.code(step: step)]))
        #expect(confirmed.status == .ok)
        let codes = try JSONDecoder().decode(Codes.self, from: Data(buffer: confirmed.body)).recoveryCodes
        return (totp, codes)
    }

    static func arguments(_ time: Time) -> TestArguments {
        var arguments = TestArguments()
        arguments.clock = time.clock
        return arguments
    }

    @Test func anAdministratorWithoutASecondFactorMayOnlySetOneUp() async throws {
        let time = Time()
        try await withApp(Self.arguments(time)) { client in
            let chief = try await Self.newAdministrator(client)
            var info = try await client.json(Info.self, "/api/v1/session", headers: chief.headers)
            #expect(info.secondFactorSetupRequired && !info.user.secondFactor)
            // Every write and internal read is refused, saying why; public reads answer.
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: chief.headers) { response in
                #expect(response.status == .forbidden)
                #expect((try? response.problem())?.detail?.contains("second factor") == true)
            }
            let token = try await Self.post(
                client, "/api/v1/tokens", chief.headers, Self.json(["name": "sync", "password": Self.chiefPassword]))
            #expect(token.status == .forbidden)
            let user = try await Self.post(
                client, "/api/v1/users", chief.headers,
                Self.json([
                    "email": "other@example.vn", "unitCode": "01", "role": "viewer",
                    "password": "another long passphrase",
                ]))
            #expect(user.status == .forbidden)
            try await client.execute(uri: "/api/v1/units", method: .get, headers: chief.headers) {
                #expect($0.status == .ok)
            }

            // A wrong password offers nothing; a code from another step does not confirm.
            let wrong = try await Self.post(
                client, "/api/v1/session/second-factor", chief.headers, Self.json(["password": "not the password!"]))
            #expect(wrong.status == .forbidden)
            let nothing = try await Self.post(
                client, "/api/v1/session/second-factor/confirm", chief.headers, Self.json(["code": "123456"]))
            #expect(nothing.status == .conflict)
            let offered = try await Self.post(
                client, "/api/v1/session/second-factor", chief.headers, Self.json(["password": Self.chiefPassword]))
            let offer = try JSONDecoder().decode(Offer.self, from: Data(buffer: offered.body))
            let totp = TOTP(secret: try #require(Base32.decode(offer.secret)))
            let step = TOTP.step(at: time.now)
            let stale = try await Self.post(
                client, "/api/v1/session/second-factor/confirm", chief.headers,
                Self.json(["code": totp.code(step: step - 4)]))
            #expect(stale.status == .unprocessableContent)
            let confirmed = try await Self.post(
                client, "/api/v1/session/second-factor/confirm", chief.headers,
                Self.json(["code": totp.code(step: step)]))
            let codes = try JSONDecoder().decode(Codes.self, from: Data(buffer: confirmed.body)).recoveryCodes
            #expect(codes.count == 10)

            // The same session now acts with its role.
            info = try await client.json(Info.self, "/api/v1/session", headers: chief.headers)
            #expect(!info.secondFactorSetupRequired && info.user.secondFactor)
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: chief.headers) {
                #expect($0.status == .ok)
            }
            // The demo's administrator is exempt while the demo runs.
            let demo = try await client.signIn("admin@demo.mandate.vn")
            #expect(
                !(try await client.json(Info.self, "/api/v1/session", headers: demo.headers).secondFactorSetupRequired))
        }
    }

    @Test func signingInAsksForTheCodeAndEachCodeWorksOnce() async throws {
        let time = Time()
        try await withApp(Self.arguments(time)) { client in
            let (totp, recovery) = try await Self.enrol(client, try await Self.newAdministrator(client), at: time)
            let json: HTTPFields = [.contentType: "application/json"]
            func signIn(_ code: String?) async throws -> TestResponse {
                var fields = ["email": Self.chief, "password": Self.chiefPassword]
                fields["code"] = code
                return try await Self.post(client, "/api/v1/session", json, Self.json(fields))
            }
            let bare = try await signIn(nil)
            #expect(bare.status == .unauthorized && bare.cookie(named: "mandate_session") == nil)
            #expect(try bare.problem().type == "/problems/second-factor-required")
            let step = TOTP.step(at: time.now)
            // The code that confirmed the set-up is spent.
            let spent = try await signIn(totp.code(step: step))
            #expect(spent.status == .unauthorized && spent.cookie(named: "mandate_session") == nil)
            #expect(try spent.problem().type == "/problems/invalid-second-factor")
            let far = try await signIn(totp.code(step: step + 3))
            #expect(far.status == .unauthorized)

            time.advance(TOTP.period)
            let code = totp.code(step: step + 1)
            let good = try await signIn(code)
            #expect(good.status == .ok && good.cookie(named: "mandate_session") != nil)
            let replay = try await signIn(code)
            #expect(replay.status == .unauthorized && replay.cookie(named: "mandate_session") == nil)

            // A wrong password with a right code is still a wrong password.
            time.advance(TOTP.period)
            let wrongPassword = try await Self.post(
                client, "/api/v1/session", json,
                Self.json(["email": Self.chief, "password": "not the password!", "code": totp.code(step: step + 2)]))
            #expect(try wrongPassword.problem().type == "/problems/invalid-credentials")

            let first = try #require(recovery.first)
            let recovered = try await signIn(first.lowercased())
            #expect(recovered.status == .ok)
            let again = try await signIn(first)
            #expect(again.status == .unauthorized)
        }
    }

    @Test func anAdministratorResetsALostSecondFactor() async throws {
        let time = Time()
        try await withApp(Self.arguments(time)) { client in
            let chief = try await Self.newAdministrator(client)
            _ = try await Self.enrol(client, chief, at: time)
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let refused = try await Self.post(
                client, "/api/v1/users/\(chief.userId)/second-factor/reset", reporter.headers, "")
            #expect(refused.status == .forbidden)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let reset = try await Self.post(
                client, "/api/v1/users/\(chief.userId)/second-factor/reset", admin.headers, "")
            #expect(reset.status == .ok && reset.text.contains(#""secondFactor":false"#))
            // Its sessions ended; the password alone signs in again, to set up a new one.
            try await client.execute(uri: "/api/v1/session", method: .get, headers: chief.headers) {
                #expect($0.status == .unauthorized)
            }
            let again = try await client.signIn(Self.chief, password: Self.chiefPassword)
            #expect(
                try await client.json(Info.self, "/api/v1/session", headers: again.headers).secondFactorSetupRequired)
        }
    }

    /// The page asks for the code in a second step; what carries the right password to it holds
    /// neither the password nor the e-mail, cannot be altered, and expires.
    @Test func theSignInPageAsksForTheCodeInASecondStep() async throws {
        let time = Time()
        try await withApp(Self.arguments(time)) { client in
            let (totp, _) = try await Self.enrol(client, try await Self.newAdministrator(client), at: time)
            let csrf = "form-token"
            let form: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded", .cookie: "mandate_csrf=\(csrf)",
            ]
            func post(_ fields: [(String, String)]) async throws -> TestResponse {
                let body = ([("_csrf", csrf)] + fields).map { "\($0)=\($1.formEncoded)" }.joined(separator: "&")
                return try await Self.post(client, "/login", form, body)
            }
            let first = try await post([("email", Self.chief), ("password", Self.chiefPassword)])
            #expect(first.status == .ok && first.cookie(named: "mandate_session") == nil)
            #expect(first.text.contains(#"id="code-form""#) && !first.text.contains(#"id="login-form""#))
            let challenge = try #require(first.text.firstMatch(of: /name="challenge" value="([^"]+)"/)?.1)
            let proof = String(challenge)
            #expect(!proof.contains(Self.chief) && !proof.contains("chief") && !proof.contains(Self.chiefPassword))

            time.advance(TOTP.period)
            let step = TOTP.step(at: time.now)
            let wrong = try await post([("challenge", proof), ("code", totp.code(step: step + 3))])
            #expect(wrong.status == .unauthorized && wrong.text.contains(#"id="code-form""#))
            // An altered proof is no proof.
            let altered = String(proof.dropLast()) + (proof.hasSuffix("0") ? "1" : "0")
            let forged = try await post([("challenge", altered), ("code", totp.code(step: step))])
            #expect(forged.status == .unauthorized && forged.text.contains(#"id="login-form""#))
            let done = try await post([("challenge", proof), ("code", totp.code(step: step))])
            #expect(done.status == .seeOther && done.headers[.location] == "/work")
            #expect(done.cookie(named: "mandate_session") != nil)

            // Five minutes later the proof has expired.
            time.advance(5 * 60 + 1)
            let late = try await post([("challenge", proof), ("code", totp.code(step: TOTP.step(at: time.now)))])
            #expect(late.status == .unauthorized && late.text.contains(#"id="login-form""#))
        }
    }

    /// A new administrator signing in through the page is taken to set up the second factor, and
    /// the account page does it: the secret, the code, the recovery codes shown once.
    @Test func theAccountPageSetsUpTheSecondFactor() async throws {
        let time = Time()
        try await withApp(Self.arguments(time)) { client in
            let chief = try await Self.newAdministrator(client)
            let page: HTTPFields = [.cookie: "mandate_session=\(chief.cookie)"]
            let form: HTTPFields = [
                .cookie: "mandate_session=\(chief.cookie)", .contentType: "application/x-www-form-urlencoded",
            ]
            func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
                let body = ([("_csrf", chief.csrf)] + fields).map { "\($0)=\($1.formEncoded)" }.joined(separator: "&")
                return try await Self.post(client, uri, form, body)
            }
            try await client.execute(uri: "/account", method: .get, headers: page) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(#"id="account-enrol-first""#))
                #expect(response.text.contains(#"id="second-factor-form""#))
            }
            let refused = try await post("/account/second-factor", [("password", "not the password!")])
            #expect(refused.status == .forbidden && refused.text.contains(#"id="account-problems""#))
            let offered = try await post("/account/second-factor", [("password", Self.chiefPassword)])
            let uri = try #require(offered.text.firstMatch(of: /id="otpauth-link" href="([^"]+)"/)?.1)
            let secret = try #require(
                URLComponents(string: String(uri).replacingOccurrences(of: "&amp;", with: "&"))?.queryItems?
                    .first { $0.name == "secret" }?.value)
            let totp = TOTP(secret: try #require(Base32.decode(secret)))
            let step = TOTP.step(at: time.now)
            let wrong = try await post("/account/second-factor/confirm", [("code", totp.code(step: step + 4))])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="second-factor-confirm-form""#))
            let done = try await post("/account/second-factor/confirm", [("code", totp.code(step: step))])
            #expect(done.status == .ok && done.text.contains(#"id="recovery-codes""#))
            #expect(done.text.matches(of: /<li><code>[A-Z2-7]{4}(-[A-Z2-7]{4}){5}<\/code><\/li>/).count == 10)
            #expect(!done.text.contains(#"id="account-enrol-first""#))
            // Shown once: the page read again lists none, and says the factor is on.
            try await client.execute(uri: "/account", method: .get, headers: page) { response in
                #expect(!response.text.contains(#"id="recovery-codes""#))
                #expect(response.text.contains("10"))
            }
        }
    }
}
