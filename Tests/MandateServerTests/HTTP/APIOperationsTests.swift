import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MandateServer

/// Requests to the API's paths are held to the OpenAPI document before any handler runs.
@Suite struct APIOperationsTests {
    /// A method a path does not take is 405 with `Allow`, not 404 and not a CSRF refusal (403).
    @Test func aMethodThePathDoesNotTakeIs405WithAllow() async throws {
        try await withApp { client in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.trace, "/api/v1/units", "GET, HEAD"),
                (.delete, "/api/v1/units/01", "GET, HEAD"),
                (.put, "/api/v1/session", "GET, HEAD, POST, DELETE"),
                (.options, "/healthz", "GET, HEAD"),
                (.patch, "/api/v1/validationRules/R1", "PUT, DELETE"),
            ]
            for (method, uri, allow) in cases {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                    #expect((try? response.problem())?.type == "/problems/method-not-allowed")
                }
            }
            // A page is the router's to answer.
            try await client.execute(uri: "/units", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// Each parameter the document names is one value: given twice, it is refused rather than
    /// half read.
    @Test func aQueryParameterGivenTwiceIsRefused() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/tasks?orientation=&orientation=3", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect((try? response.problem())?.errors?.first?.field == "orientation")
            }
            try await client.execute(uri: "/api/v1/tasks?orientation=3&status=", method: .get) {
                #expect($0.status == .ok)
            }
        }
    }

    /// A flag is `true` or `false`; anything else is refused, not read as false.
    @Test func aFlagIsTrueOrFalse() async throws {
        try await withApp { client in
            for uri in ["/api/v1/recommendations?unanswered=null", "/api/v1/units?includeInactive=1"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/recommendations?unanswered=true", method: .get) {
                #expect($0.status == .ok)
            }
        }
    }

    /// An event id that is not one is refused, whichever of the header and the query names it.
    @Test func aLastEventIdMustBeAnId() async throws {
        try await withApp { client in
            try await client.execute(
                uri: "/api/v1/events?lastEventId=18446744073709551616", method: .get,
                headers: [HTTPField.Name("Last-Event-ID")!: "0"]
            ) { response in
                #expect(response.status == .badRequest)
                #expect((try? response.problem())?.errors?.first?.field == "lastEventId")
            }
            try await client.execute(
                uri: "/api/v1/events", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "-1"]
            ) { #expect($0.status == .badRequest) }
        }
    }
}
