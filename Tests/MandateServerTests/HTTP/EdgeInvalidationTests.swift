import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import MandateStore
import NIOCore
import Testing

@testable import MandateServer

/// A live server (the edge answers in the connection's pipeline), with its edge and its store at
/// hand so that a test can tell a miss that a commit explains from one that nothing does.
///
/// Background work commits at any moment: the log's checkpointer signs once a second, the session
/// sweeper purges. No test here depends on when: a read the edge should have answered and did not
/// is a failure unless the edge's own journal shows a commit, since the page was last answered
/// from the edge, that changed what the page is made from; then the step is done again. Such
/// commits never come from the background for the pages read here (a checkpoint changes only
/// what shows checkpoints), so in practice no step is done twice; if one were, the outcome would
/// still not depend on the timing.
struct EdgeServer: Sendable {
    let client: any TestClientProtocol
    let edge: EdgeCache
    let store: Store

    /// How many times a step whose reads a relevant commit disturbed is done again.
    static let attempts = 5

    /// Answers are kept far longer than a test takes, so that only commits drop them.
    static func run(_ body: @Sendable (EdgeServer) async throws -> Void) async throws {
        var arguments = TestArguments()
        arguments.publicAnswerLifetime = .seconds(3600)
        var built: Dependencies?
        let app = try await buildApplication(arguments) { built = $0 }
        let dependencies = try #require(built)
        try await app.test(.live) { client in
            try await body(EdgeServer(client: client, edge: dependencies.edge, store: dependencies.store))
        }
    }

    /// How many requests the edge has answered.
    func edgeAnswers() async throws -> Int {
        try await EdgeCacheServerTests.edgeAnswers(client)
    }

    func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    /// Reads `uri` and says whether the edge answered.
    func read(_ uri: String) async throws -> (response: TestResponse, fromEdge: Bool) {
        let before = try await edgeAnswers()
        let response = try await get(uri)
        return (response, try await edgeAnswers() == before + 1)
    }

    /// Reads `uri` until the edge answers it (a first read renders it); returns the edge's
    /// generation from before the read that rendered it, after which only a commit that changed
    /// what it `reads` may drop it. Nil, with an issue, if a miss is not explained so.
    func keep(_ uri: String, reads: ChangeTags) async throws -> Int? {
        for _ in 0..<Self.attempts {
            let start = edge.generation
            _ = try await get(uri)
            if try await read(uri).fromEdge { return start }
            guard edge.changed(reads, after: start) else {
                Issue.record("the edge did not keep \(uri), and no commit changed what it reads")
                return nil
            }
        }
        Issue.record("commits that changed what \(uri) reads kept coming")
        return nil
    }

    /// Whether `uri` is still answered by the edge after `write`: kept first, then written, then
    /// read. A miss that a commit of what the page reads explains (other than `write`, which
    /// must not change it) repeats the step.
    func staysAtTheEdge(
        _ uri: String, reads: ChangeTags, across write: @Sendable (Int) async throws -> Void
    ) async throws -> Bool {
        for attempt in 0..<Self.attempts {
            guard let start = try await keep(uri, reads: reads) else { return false }
            try await write(attempt)
            if try await read(uri).fromEdge { return true }
            guard edge.changed(reads, after: start) else { return false }
        }
        Issue.record("commits that changed what \(uri) reads kept coming")
        return false
    }

    /// The body of a signed-in request to an API write, which must succeed.
    @discardableResult
    func post(_ uri: String, _ body: String, as user: SignedIn) async throws -> String {
        let response = try await IndicatorsAPITests.post(client, uri, body, as: user)
        #expect([.ok, .created].contains(response.status), "POST \(uri): \(response.text)")
        return response.text
    }
}

/// One server at a time: each loads the whole demo.
@Suite(.serialized) struct EdgeInvalidationTests {
    /// An indicator that communes report and provinces roll up, new to the demo.
    static let indicator = #"""
        {"code":"T_EDGE","nameVi":"Số điểm truy cập công cộng","nameEn":"Public access points",
         "unitOfMeasure":"điểm","valueType":"number","direction":"higher","frequency":"yearly",
         "appliesTo":["commune"],"rollup":{"method":"sum"}}
        """#

    static func value(_ unit: String, _ value: Int) -> String {
        #"{"dataValues":[{"dataElement":"T_EDGE","orgUnit":"\#(unit)","period":"2025","value":"\#(value)"}]}"#
    }

    /// The province page stays at the edge while values of another province's communes are
    /// approved, and shows a value of one of its own communes the moment it is approved.
    @Test func aProvincePageFollowsItsOwnCommunesOnly() async throws {
        try await EdgeServer.run { server in
            let analyst = try await server.client.signIn("analyst@demo.mandate.vn")
            try await server.post("/api/v1/indicators", Self.indicator, as: analyst)
            let admin = try await server.client.signIn("admin@demo.mandate.vn")
            let page = "/units/01"
            let reads: ChangeTags = [.unit("01"), .rankings]
            #expect(try await !server.get(page).text.contains("/indicators/T_EDGE"))

            // 01273 is a commune of Cao Bằng (04).
            let kept = try await server.staysAtTheEdge(page, reads: reads) { attempt in
                try await server.post("/api/v1/dataValueSets?approve=true", Self.value("01273", 5 + attempt), as: admin)
            }
            #expect(kept)
            #expect(try await !server.get(page).text.contains("/indicators/T_EDGE"))
            // Drafts change only their commune's timeliness.
            #expect(
                try await server.staysAtTheEdge(page, reads: reads) { attempt in
                    try await server.post("/api/v1/dataValueSets", Self.value("00004", 3 + attempt), as: admin)
                })

            // 00004 is a commune of Hà Nội (01): the next read is the router's, with the value.
            _ = try await server.keep(page, reads: reads)
            try await server.post("/api/v1/dataValueSets?approve=true", Self.value("00004", 7), as: admin)
            let (after, fromEdge) = try await server.read(page)
            #expect(!fromEdge)
            #expect(after.text.contains(#"<a href="/indicators/T_EDGE">"#))
            #expect(after.text.contains(#">7 điểm<br><span class="meta">2025</span>"#))
            // The province's roll-up, and the nation's figures (with the value of Cao Bằng's commune).
            let rollup = try await server.client.json(
                IndicatorsAPITests.RollupBody.self, "/api/v1/indicators/T_EDGE/rollup?unit=01&period=2025")
            #expect(rollup.value == 7 && rollup.count == 1)
            let nation = try await server.client.json(
                IndicatorsAPITests.RollupBody.self, "/api/v1/indicators/T_EDGE/rollup?period=2025")
            #expect(nation.count == 2)
            let figure = #">\#(Int(nation.value ?? 0)) điểm<br><span class="meta">2025</span>"#
            #expect(try await server.get("/indicators").text.contains(figure))
        }
    }

    /// Signing in writes a session, which nothing public shows: every page stays at the edge.
    @Test func signingInKeepsEveryPage() async throws {
        try await EdgeServer.run { server in
            for (page, reads) in [("/units/01", [.unit("01"), .rankings]), ("/methodology", [.rankings])]
                as [(String, ChangeTags)]
            {
                let kept = try await server.staysAtTheEdge(page, reads: reads) { _ in
                    _ = try await server.client.signIn("analyst@demo.mandate.vn")
                }
                #expect(kept, "\(page)")
            }
        }
    }

    /// A transaction whose writes say nothing of what they change changed everything.
    @Test func anUnannotatedCommitDropsEveryPage() async throws {
        try await EdgeServer.run { server in
            let pages: [(String, ChangeTags)] = [
                ("/units/01", [.unit("01"), .rankings]), ("/methodology", [.rankings]),
                ("/api/v1/units?kind=province", [.units]),
            ]
            for (page, reads) in pages { _ = try await server.keep(page, reads: reads) }
            try await server.store.database.transaction { db in
                try await db.raw("UPDATE units SET name = name WHERE code = '01'").run()
            }
            // Whatever else happened meanwhile, each page is gone: nothing but this test reads.
            for (page, _) in pages { #expect(try await !server.read(page).fromEdge, "\(page)") }
        }
    }

    /// The declaration never leaves the server.
    @Test func whatAnAnswerReadsStaysInside() async throws {
        try await EdgeServer.run { server in
            for page in ["/", "/units/01", "/api/v1/units?kind=province", "/rankings", "/open-data/values.csv"] {
                for _ in 0..<2 {
                    let response = try await server.get(page)
                    #expect(response.status == .ok)
                    #expect(response.headers[.edgeReads] == nil && response.headers[.edgeKeep] == nil, "\(page)")
                }
            }
        }
    }
}
