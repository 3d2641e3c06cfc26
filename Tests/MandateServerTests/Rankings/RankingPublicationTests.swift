import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Publishing through the API: only the draft reviewed, only a period that has begun; a result that
/// says which components the period compared with lacks; the demo's comparisons; an older version
/// that names the newer.
@Suite struct RankingPublicationTests {
    struct Draft: Decodable {
        let method: RankingMethod
        let result: RankingResult
        let methodDigest: String
    }

    struct Items<T: Decodable>: Decodable { let items: [T] }
    struct Summary: Decodable, Equatable {
        let methodId: String
        let period: String
        let version: Int
    }

    /// A published ranking as served: the frozen publication and the latest version.
    struct Served: Decodable {
        let version: Int
        let publishedAt: String
        let latestVersion: Int
        let latestPublishedAt: String
        let result: RankingResult
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ body: String, as user: SignedIn
    )
        async throws -> TestResponse
    {
        try await client.execute(uri: uri, method: .post, headers: user.headers, body: ByteBuffer(string: body))
    }

    static func publishBody(_ draft: Draft, version: Int? = nil) -> String {
        #"{"previousPeriod": "2024", "methodVersion": \#(version ?? draft.method.version), "#
            + #""expectedInputsDigest": "\#(draft.result.inputDigest ?? "")", "#
            + #""expectedMethodDigest": "\#(draft.methodDigest)"}"#
    }

    static let draftURI = "/api/v1/rankings/province-dti/2025/draft?previous=2024"
    static let publishURI = "/api/v1/rankings/province-dti/2025/publish"

    /// The versions of province-dti 2025 published, newest first.
    static func versions(_ client: some TestClientProtocol) async throws -> [Int] {
        try await client.json(Items<Summary>.self, "/api/v1/rankings").items
            .filter { $0.methodId == "province-dti" && $0.period == "2025" }.map(\.version)
    }

    /// Hà Nội's digital-government value for 2025, entered by its reporter and approved by its head.
    static func approveNewValue(_ client: some TestClientProtocol, _ value: String) async throws {
        let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
        let entered = try await post(
            client, "/api/v1/dataValues", #"{"indicator":"DTI_CQS","unit":"01","period":"2025","value":\#(value)}"#,
            as: reporter)
        #expect(entered.status == .created || entered.status == .ok)
        let head = try await client.signIn("head.hanoi@demo.mandate.vn")
        let approved = try await post(client, "/api/v1/dataValues/DTI_CQS/01/2025/approve", "", as: head)
        #expect(approved.status == .ok)
    }

    @Test func onlyTheDraftReviewedIsPublished() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reviewed = try await client.json(Draft.self, Self.draftURI, headers: analyst.headers)
            #expect(reviewed.methodDigest == PublishedRanking.digest(reviewed.method))

            // A value approved after the draft was computed: nothing is published.
            try await Self.approveNewValue(client, "0.99")
            let stale = try await Self.post(client, Self.publishURI, Self.publishBody(reviewed), as: analyst)
            #expect(stale.status == .conflict)
            #expect(stale.headers[.contentType] == "application/problem+json")
            let problem = try stale.problem()
            #expect(problem.errors?.map(\.field) == ["expectedInputsDigest"])
            let reason = try #require(problem.errors?.first?.reason)
            let current = try await client.json(Draft.self, Self.draftURI, headers: analyst.headers)
            #expect(current.result.inputDigest != reviewed.result.inputDigest)
            #expect(reason.contains(current.result.inputDigest ?? "?") && reason.contains("nothing was published"))
            #expect(try await Self.versions(client) == [1])

            // A new version of the method saved after the draft: nothing is published.
            var method = current.method
            method.version = 2
            method.pillars[0].weight = 50
            method.pillars[1].components[1].normalisation = .distanceToTarget(target: nil)
            let saved = try await Self.post(
                client, "/api/v1/ranking-methods", String(decoding: try JSONEncoder().encode(method), as: UTF8.self),
                as: analyst)
            #expect(saved.status == .created)
            let oldVersion = try await Self.post(client, Self.publishURI, Self.publishBody(current), as: analyst)
            #expect(oldVersion.status == .conflict)
            let versionProblem = try oldVersion.problem()
            #expect(versionProblem.errors?.map(\.field) == ["methodVersion"])
            #expect(versionProblem.errors?.first?.reason.contains("latest version is now 2") == true)
            #expect(try await Self.versions(client) == [1])

            // An indicator's target changed after the draft: the method as applied is another.
            let latest = try await client.json(Draft.self, Self.draftURI, headers: analyst.headers)
            #expect(latest.method.version == 2)
            var budget = try await client.json(Indicator.self, "/api/v1/indicators/R57_BUDGET_ST")
            budget.targets = [IndicatorTarget(year: 2025, value: 4), IndicatorTarget(year: 2026, value: 4)]
            let put = try await client.execute(
                uri: "/api/v1/indicators/R57_BUDGET_ST", method: .put, headers: analyst.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(budget)))
            #expect(put.status == .ok)
            let retargeted = try await Self.post(client, Self.publishURI, Self.publishBody(latest), as: analyst)
            #expect(retargeted.status == .conflict)
            #expect(try retargeted.problem().errors?.map(\.field) == ["expectedMethodDigest"])
            #expect(try await Self.versions(client) == [1])

            // A digest that is not one is refused for its shape.
            let malformed = try await Self.post(
                client, Self.publishURI, #"{"expectedInputsDigest": "ABC"}"#, as: analyst)
            #expect(malformed.status == .badRequest)
            #expect(try malformed.problem().errors?.map(\.field) == ["expectedInputsDigest"])

            // The draft as it is now is published, by the method's latest version.
            let reviewedAgain = try await client.json(Draft.self, Self.draftURI, headers: analyst.headers)
            let published = try await Self.post(
                client, Self.publishURI, Self.publishBody(reviewedAgain), as: analyst)
            #expect(published.status == .created)
            let ranking = try JSONDecoder().decode(PublishedRanking.self, from: Data(buffer: published.body))
            #expect(ranking.version == 2 && ranking.method.version == 2)
            #expect(ranking.inputDigest == reviewedAgain.result.inputDigest)
            #expect(ranking.method.pillars[1].components[1].normalisation == .distanceToTarget(target: 4))
            #expect(try await Self.versions(client) == [2, 1])
        }
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
            // 2023 holds the former provinces' DTI, and of today's provinces only task delivery (the
            // demo's ratings are of 2024 and 2025).
            let draft = try await client.json(
                Draft.self, "/api/v1/rankings/province-dti/2024/draft", headers: analyst.headers)
            #expect(draft.result.previousPeriod == "2023")
            #expect(
                draft.result.previousMissingComponents == [
                    "CQS_DTI", "KTS_DTI", "KTS_BUDGET", "XHS_DTI", "XHS_ENGINEERS", "HL_OVERALL", "HL_STAFF",
                ])
            let published = try await Self.post(
                client, "/api/v1/rankings/province-dti/2024/publish", #"{"previousPeriod": "2023"}"#, as: analyst)
            #expect(published.status == .created)
            let served = try await client.json(Served.self, "/api/v1/rankings/province-dti/2024")
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

    @Test func anOlderVersionNamesTheVersionThatSupersedesIt() async throws {
        try await withApp { client in
            let first = try await client.json(Served.self, "/api/v1/rankings/province-dti/2025?version=1")
            #expect(first.latestVersion == 1 && first.latestPublishedAt == first.publishedAt)
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let published = try await Self.post(client, Self.publishURI, #"{"previousPeriod": "2024"}"#, as: analyst)
            #expect(published.status == .created)
            let second = try JSONDecoder().decode(Served.self, from: Data(buffer: published.body))
            #expect(second.version == 2 && second.latestVersion == 2)
            let superseded = try await client.json(Served.self, "/api/v1/rankings/province-dti/2025?version=1")
            #expect(superseded.version == 1 && superseded.latestVersion == 2)
            #expect(superseded.latestPublishedAt == second.publishedAt && superseded.publishedAt == first.publishedAt)
            let current = try await client.json(Served.self, "/api/v1/rankings/province-dti/2025")
            #expect(current.version == 2 && current.latestVersion == 2)
        }
    }
}
