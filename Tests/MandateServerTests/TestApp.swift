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

/// In-memory SQLite, the demo accounts, a low bcrypt cost.
struct TestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var database = DatabaseURL.sqliteMemory
    var demo = true
    var secureCookies = false
    var bcryptCost: UInt8 = 10
    var logLevel: Logger.Level = .warning
    /// A test that sets its own clock gets a database prepared at that clock, not a prepared copy.
    var clock = AppClock() {
        didSet { copiesPreparedDemo = false }
    }
    /// Whether an in-memory demo database starts as a copy of one prepared once per day
    /// (`PreparedDemo`) rather than being prepared again.
    var copiesPreparedDemo = true
    var publicAnswerLifetime = Duration.seconds(5)
    /// The in-process test client has no address (""): it reads `/metrics` as a listed one.
    var metricsFrom = ["127.0.0.1", "::1", ""]
    var feedbackLimits = FeedbackLimits.standard
    /// No probe of the catalogue's links unless a test asks: tests reach no network.
    var linkProbes: LinkProbePolicy? = nil
}

func withApp(
    _ arguments: TestArguments = TestArguments(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let app = try await buildApplication(arguments, open: PreparedDemo.opener(arguments)) { _ in }
    try await app.test(.router, body)
}

/// The demo database as the application prepares it (migrations, reference units, demo accounts,
/// indicators, tasks and rankings: about two seconds), made once per day and per test process in a
/// file, and copied table by table into each test's in-memory database, whose preparation then
/// finds nothing left to do.
actor PreparedDemo {
    static let shared = PreparedDemo()
    private var files: [String: String] = [:]

    /// How `buildApplication` opens the database of `arguments`: a prepared copy where it is in
    /// memory with the demo at the real clock, as usual otherwise.
    static func opener(
        _ arguments: TestArguments
    ) -> @Sendable (DatabaseURL, AppClock, Logger) async throws -> OpenedDatabase {
        guard arguments.database == .sqliteMemory, arguments.demo, arguments.copiesPreparedDemo else {
            return { try await DatabaseConnector.open($0, clock: $1, logger: $2) }
        }
        return { url, clock, logger in
            let template = try await shared.file(day: clock.today().description, clock: clock, logger: logger)
            let opened = try await DatabaseConnector.open(url, clock: clock, logger: logger)
            try await copy(template, into: opened.database)
            return opened
        }
    }

    private func file(day: String, clock: AppClock, logger: Logger) async throws -> String {
        if let file = files[day] { return file }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mandate-prepared-demo-\(UUID().uuidString).sqlite"
        ).path
        try await DatabaseConnector.withDatabase(.sqliteMemory, clock: clock, logger: logger) { database in
            try await Store(database: database).prepare(demo: true, logger: logger)
            try await database.read { try await $0.raw("VACUUM INTO \(bind: path)").run() }
        }
        files[day] = path
        return path
    }

    /// Every table of `file` with its rows, then its indexes, into the empty `database` (in memory:
    /// its reads run on its one connection, outside any transaction, as ATTACH needs).
    private static func copy(_ file: String, into database: any MandateDatabase) async throws {
        try await database.read { sql in
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            try await sql.raw("ATTACH DATABASE \(bind: file) AS prepared").run()
            let schema = try await sql.raw(
                """
                SELECT type, name, sql FROM prepared.sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END
                """
            ).all()
            for row in schema {
                let (type, name, create) = (
                    try row.decode(column: "type", as: String.self), try row.decode(column: "name", as: String.self),
                    try row.decode(column: "sql", as: String.self)
                )
                try await sql.raw("\(unsafeRaw: create)").run()
                if type == "table" {
                    try await sql.raw("INSERT INTO main.\(ident: name) SELECT * FROM prepared.\(ident: name)").run()
                }
            }
            try await sql.raw("DETACH DATABASE prepared").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
        }
    }
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
