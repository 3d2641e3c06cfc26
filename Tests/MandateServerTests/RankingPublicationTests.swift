import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Publishing through the API: only a period that has begun; a result that says which components
/// the period compared with lacks; the demo's comparisons.
@Suite struct RankingPublicationTests {
    struct Draft: Decodable {
        let method: RankingMethod
        let result: RankingResult
    }

    struct Items<T: Decodable>: Decodable { let items: [T] }
    struct Summary: Decodable, Equatable {
        let methodId: String
        let period: String
        let version: Int
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ body: String, as user: SignedIn
    )
        async throws -> TestResponse
    {
        try await client.execute(uri: uri, method: .post, headers: user.headers, body: ByteBuffer(string: body))
    }

    /// The versions of province-dti 2025 published, newest first.
    static func versions(_ client: some TestClientProtocol) async throws -> [Int] {
        try await client.json(Items<Summary>.self, "/api/v1/rankings").items
            .filter { $0.methodId == "province-dti" && $0.period == "2025" }.map(\.version)
    }

    @Test func aPeriodThatHasNotBegunIsNeitherDraftedNorPublished() async throws {
        var arguments = TestArguments()
        arguments.clock = .fixed("2026-12-05T09:00:00.000Z")
        try await withApp(arguments) { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            for uri in ["/api/v1/rankings/province-dti/2027/draft", "/api/v1/rankings/province-dti/202701/draft"] {
                try await client.execute(uri: uri, method: .get, headers: analyst.headers) { response in
                    #expect(response.status == .unprocessableContent, "\(uri)")
                    let problem = try response.problem()
                    #expect(problem.errors?.map(\.field) == ["period"])
                    #expect(problem.errors?.first?.reason.contains("has not begun") == true)
                }
            }
            let refused = try await Self.post(
                client, "/api/v1/rankings/province-dti/2031/publish", #"{"previousPeriod": "2030"}"#, as: analyst)
            #expect(refused.status == .unprocessableContent)
            #expect(
                try refused.problem().errors?.first?.reason
                    == "2031 has not begun: it begins on 2031-01-01, after today (2026-12-05)")
            let backwards = try await Self.post(
                client, "/api/v1/rankings/province-dti/2025/publish", #"{"previousPeriod": "2026"}"#, as: analyst)
            #expect(backwards.status == .unprocessableContent)
            #expect(try backwards.problem().errors?.map(\.field) == ["previousPeriod"])
            // Nothing was published; the year under way may be drafted.
            let listed = try await client.json(Items<Summary>.self, "/api/v1/rankings").items
            #expect(listed.allSatisfy { $0.period == "2025" && $0.version == 1 })
            let underWay = try await client.json(
                Draft.self, "/api/v1/rankings/province-dti/2026/draft", headers: analyst.headers)
            #expect(underWay.result.period == "2026")
        }
    }

    @Test func theResultSaysWhichComponentsThePeriodComparedWithLacks() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            // 2023 holds the former provinces' DTI, and of today's provinces only task delivery.
            let draft = try await client.json(
                Draft.self, "/api/v1/rankings/province-dti/2024/draft", headers: analyst.headers)
            #expect(draft.result.previousPeriod == "2023")
            #expect(
                draft.result.previousMissingComponents == [
                    "CQS_DTI", "KTS_DTI", "KTS_BUDGET", "XHS_DTI", "XHS_ENGINEERS",
                ])
            let published = try await Self.post(
                client, "/api/v1/rankings/province-dti/2024/publish", #"{"previousPeriod": "2023"}"#, as: analyst)
            #expect(published.status == .created)
            let served = try await client.json(PublishedRanking.self, "/api/v1/rankings/province-dti/2024")
            #expect(served.result.previousMissingComponents == draft.result.previousMissingComponents)
        }
    }

    @Test func theDemoComparesOnlyPeriodsThatHaveEveryPillar() async throws {
        try await withApp { client in
            let listed = try await client.json(Items<Summary>.self, "/api/v1/rankings").items
            #expect(
                Set(listed.map { "\($0.methodId) \($0.period)" }) == ["province-dti 2025", "ministry-delivery 2025"])
            for summary in listed {
                let published = try await client.json(
                    PublishedRanking.self, "/api/v1/rankings/\(summary.methodId)/\(summary.period)")
                #expect(published.result.previousPeriod == "2024")
                let missing = try #require(published.result.previousMissingComponents)
                for pillar in published.method.pillars {
                    #expect(!pillar.components.allSatisfy { missing.contains($0.code) }, "\(pillar.code)")
                }
                // The previous ranks spread out: not everyone first on delivery alone.
                let previousRanks = published.result.units.compactMap(\.previousRank)
                #expect(previousRanks.count == published.result.units.count)
                #expect(Set(previousRanks).count > previousRanks.count / 2)
            }
        }
    }
}
