import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// In-memory SQLite, the demo accounts, a low bcrypt cost.
struct TestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var database = DatabaseURL.sqliteMemory
    var demo = true
    var secureCookies = false
    var bcryptCost: UInt8 = 10
    var logLevel: Logger.Level = .warning
    var clock = AppClock()
    var publicAnswerLifetime = Duration.seconds(5)
    /// The in-process test client has no address (""): it reads `/metrics` as a listed one.
    var metricsFrom = ["127.0.0.1", "::1", ""]
    var feedbackLimits = FeedbackLimits.standard
}

func withApp(
    _ arguments: TestArguments = TestArguments(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let app = try await buildApplication(arguments)
    try await app.test(.router, body)
}

/// `body` with the arguments `change` makes, on an SQLite file of its own in a fresh folder
/// (removed afterwards): for tests that restart the application or open the file a second time.
func withAppOnFile(
    _ change: (inout TestArguments) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, TestArguments) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mandate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var arguments = TestArguments()
    arguments.database = .sqliteFile(path: folder.appendingPathComponent("db.sqlite").path)
    change(&arguments)
    try await withApp(arguments) { [arguments] client in try await body(client, arguments) }
}

/// A browser-like session: the cookie and the CSRF token the server handed out.
struct SignedIn: Sendable {
    let cookie: String
    let csrf: String
    let userId: String

    var headers: HTTPFields {
        [.cookie: "mandate_session=\(cookie)", .xCSRFToken: csrf, .contentType: "application/json"]
    }
}

let demoPassword = DemoAccounts.password

extension TestClientProtocol {
    func signIn(
        _ email: String, password: String = demoPassword, headers extra: HTTPFields = [:]
    ) async throws
        -> SignedIn
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        let body = try JSONEncoder().encode(["email": email, "password": password])
        return try await execute(uri: "/api/v1/session", method: .post, headers: headers, body: ByteBuffer(data: body))
        {
            response in
            #expect(response.status == .ok)
            let info = try JSONDecoder().decode(SessionInfoBody.self, from: Data(buffer: response.body))
            let cookie = try #require(response.cookie(named: "mandate_session"))
            return SignedIn(cookie: cookie.value, csrf: info.csrfToken ?? "", userId: info.user.id)
        }
    }

    func json<T: Decodable>(_ type: T.Type, _ uri: String, headers: HTTPFields = [:]) async throws -> T {
        try await execute(uri: uri, method: .get, headers: headers) { response in
            #expect(response.status == .ok, "GET \(uri)")
            return try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
        }
    }
}

struct SessionInfoBody: Decodable {
    struct UserBody: Decodable {
        let id: String
        let email: String
        let role: String
        let unitCode: String
    }
    let user: UserBody
    let csrfToken: String?
}

struct ProblemBody: Decodable {
    struct FieldError: Decodable {
        let line: Int?
        let field: String?
        let reason: String
    }
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let errors: [FieldError]?
    let errorCount: Int?
}

extension TestResponse {
    /// A cookie the response sets, parsed from `Set-Cookie`.
    func cookie(named name: String) -> (value: String, attributes: String)? {
        for header in headers[values: .setCookie] where header.hasPrefix("\(name)=") {
            let parts = header.split(separator: ";", maxSplits: 1)
            let value = String(parts[0].dropFirst(name.count + 1))
            return (value, parts.count > 1 ? String(parts[1]) : "")
        }
        return nil
    }

    var text: String { String(buffer: body) }

    func problem() throws -> ProblemBody {
        #expect(headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: body))
    }
}
