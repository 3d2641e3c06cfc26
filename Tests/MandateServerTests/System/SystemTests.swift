import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateStore
import Testing

@testable import MandateServer

@Suite struct SystemTests {
    @Test func healthCheckAsksTheDatabase() async throws {
        try await withApp { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(#""status":"ok""#) && response.text.contains(#""database":"sqlite""#))
            }
        }
    }

    @Test func metricsCountRequestsByRoutePattern() async throws {
        try await withApp { client in
            _ = try await client.execute(uri: "/api/v1/units/01", method: .get) { $0.status }
            _ = try await client.execute(uri: "/api/v1/units/48", method: .get) { $0.status }
            _ = try await client.execute(uri: "/no/such/page", method: .get) { $0.status }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.text
                #expect(
                    text.contains(#"http_requests_total{route="/api/v1/units/{code}",method="GET",status="200"} 2"#))
                #expect(text.contains(#"route="NotFound",method="GET",status="404"} 1"#))
                #expect(text.contains("http_request_duration_seconds_bucket"))
                #expect(!text.contains("/api/v1/units/48"))
            }
        }
    }

    /// From an address not listed (`--metrics-from`), only an administrator reads the metrics.
    @Test func metricsFromAnUnlistedAddressNeedAnAdministrator() async throws {
        var arguments = TestArguments()
        arguments.metricsFrom = ["127.0.0.1"]
        try await withApp(arguments) { client in
            let viewer = try await client.signIn("viewer@demo.mandate.vn")
            let admin = try await client.signIn("admin@demo.mandate.vn")
            for (headers, status) in [
                (HTTPFields(), HTTPResponse.Status.forbidden), (viewer.headers, .forbidden), (admin.headers, .ok),
            ] {
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                    #expect(response.status == status)
                }
            }
        }
    }

    @Test(arguments: ["/units", "/api/v1/units?kind=province", "/no/such/page", "/api/v1/units/nope", "/healthz"])
    func everyResponseCarriesTheSecurityHeaders(uri: String) async throws {
        try await withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                let csp = try #require(response.headers[.contentSecurityPolicy])
                // Pages may load their own scripts; everything else may load nothing.
                let isPage = response.headers[.contentType]?.hasPrefix("text/html") == true
                #expect(csp.contains(isPage ? "script-src 'self'" : "default-src 'none'"))
                #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.referrerPolicy] == "strict-origin-when-cross-origin")
                #expect(response.headers[.xRequestID]?.isEmpty == false)
            }
        }
    }

    @Test func unknownAPIPathIsAProblemAndUnknownPageIsAPage() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((try? response.problem())?.type == "/problems/no-such-endpoint")
            }
            try await client.execute(uri: "/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<html lang=\"vi\">"))
            }
        }
    }
}

@Suite struct OpenAPIDocumentTests {
    struct Document: Decodable {
        let openapi: String
        let paths: [String: [String: Operation]]
        struct Operation: Decodable {
            let operationId: String
            let responses: [String: AnyDecodable]
        }
    }
    struct AnyDecodable: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    @Test func describesExactlyTheOperationsTheServerHas() async throws {
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: Logger(label: "test")).database
        let dependencies = Dependencies(
            store: Store(database: database), pages: try await PageRenderer.load(), metrics: HTTPMetrics(),
            openAPIDocument: try Dependencies.loadOpenAPIDocument(), hasher: PasswordHasher(cost: 10), demo: false,
            secureCookies: false)
        let registered = Set(buildRouter(dependencies).operations.map { "\($0.method.rawValue) \($0.path)" })
        let document = try JSONDecoder().decode(Document.self, from: dependencies.openAPIDocument)
        #expect(document.openapi.hasPrefix("3.1"))
        var described = Set<String>()
        for (path, operations) in document.paths {
            for (method, operation) in operations where Self.methods.contains(method) {
                described.insert("\(method.uppercased()) \(path)")
                #expect(!operation.responses.isEmpty, "\(operation.operationId) documents no response")
            }
        }
        #expect(
            registered.subtracting(described).isEmpty, "undocumented: \(registered.subtracting(described).sorted())")
        #expect(
            described.subtracting(registered).isEmpty,
            "documented but absent: \(described.subtracting(registered).sorted())")
        await database.close()
    }

    @Test func theServerServesTheDocument() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try JSONDecoder().decode(Document.self, from: Data(buffer: response.body))
                #expect(document.paths["/api/v1/units/{code}"]?["get"]?.operationId == "getUnit")
            }
        }
    }
}
