import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

@Suite struct RankingsAPITests {
    static let draftURI = "/api/v1/rankings/province-dti/2025/draft?previous=2024"

    struct Draft: Decodable {
        let method: RankingMethod
        let result: RankingResult
    }

    @Test func draftsAreForCommitteeRolesOnly() async throws {
        try await withApp { client in
            try await client.execute(uri: Self.draftURI, method: .get) { #expect($0.status == .unauthorized) }
            for email in ["viewer@demo.mandate.vn", "head.hanoi@demo.mandate.vn"] {
                let user = try await client.signIn(email)
                try await client.execute(uri: Self.draftURI, method: .get, headers: user.headers) { response in
                    #expect(response.status == .forbidden, "\(email)")
                }
            }
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let draft = try await client.json(Draft.self, Self.draftURI, headers: analyst.headers)
            // The 34 provinces of the demo, each with a score, a rank and an interval; the budget share's
            // distance to target took the indicator's 2025 target (3%).
            #expect(draft.result.units.count == 34)
            #expect(draft.result.units.allSatisfy { $0.rank != nil && $0.interval != nil && $0.previousRank != nil })
            #expect(draft.method.pillars[1].components[1].normalisation == .distanceToTarget(target: 3))
            #expect(draft.result.uncertainty?.draws == 1000)
            // Without a previous period the draft compares with the year before, as `mandate rank` does.
            let bare = try await client.json(
                Draft.self, "/api/v1/rankings/province-dti/2025/draft", headers: analyst.headers)
            #expect(bare.result == draft.result && bare.result.previousPeriod == "2024")
            // Nothing was published by drafting: only the demo's own publications are listed.
            let list = try await client.json(Items<PublishedSummaryBody>.self, "/api/v1/rankings")
            #expect(list.items.map(\.version) == [1, 1])
            #expect(Set(list.items.map(\.methodId)) == ["province-dti", "ministry-delivery"])
        }
    }

    struct Items<T: Decodable>: Decodable { let items: [T] }
    struct PublishedSummaryBody: Decodable {
        let methodId: String
        let period: String
        let version: Int
    }

    @Test func aPublishedRankingIsFrozenVersionedLoggedAndRecomputable() async throws {
        try await withApp { client in
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let body = ByteBuffer(string: #"{"previousPeriod": "2024"}"#)
            try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/publish", method: .post, headers: head.headers, body: body
            ) { #expect($0.status == .forbidden) }

            // The demo published version 1 of 2025; this is version 2.
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let published = try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/publish", method: .post, headers: analyst.headers, body: body
            ) { response in
                #expect(response.status == .created)
                return try JSONDecoder().decode(PublishedRanking.self, from: Data(buffer: response.body))
            }
            #expect(published.version == 2 && published.result.previousPeriod == "2024")
            #expect(try await client.json(PublishedRanking.self, "/api/v1/rankings/province-dti/2025") == published)

            // The inputs served are those digested, and they recompute the same ranking offline.
            let inputs = try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/inputs", method: .get
            ) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                return response.text
            }
            let digest = SHA256.hash(data: Data(inputs.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(digest == published.inputDigest)
            let values = try RankingValues(try DataValueFile.csv(inputs), method: published.method)
            var recomputed = try RankingEngine(method: published.method).rank(
                values.table("2025"), previous: values.table("2024"))
            recomputed.inputDigest = published.inputDigest
            #expect(recomputed == published.result)

            // The method as applied is served on its own, its SHA-256 the fact's methodDigest; the units
            // file lists every unit of the ranking, ranked or not.
            let method = try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/method?version=2", method: .get
            ) { response in
                #expect(response.headers[.contentType] == "application/json")
                #expect(
                    response.headers[.contentDisposition]
                        == #"attachment; filename="province-dti-2025-v2-method.json""#)
                return Data(buffer: response.body)
            }
            #expect(try RankingMethod.decode(method) == published.method)
            let units = try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/units?version=2", method: .get
            ) { $0.text }
            #expect(units == RankingUnitsFile.csv(units: published.result.units.map(\.unit), kind: .province))
            #expect(try RankingUnitsFile(units).codes(of: .province).count == 34)

            // Republishing makes version 3; version 2 stays readable.
            let third = try await client.execute(
                uri: "/api/v1/rankings/province-dti/2025/publish", method: .post, headers: analyst.headers, body: body
            ) { response in
                #expect(response.status == .created)
                return try JSONDecoder().decode(PublishedRanking.self, from: Data(buffer: response.body))
            }
            #expect(third.version == 3)
            #expect(
                try await client.json(PublishedRanking.self, "/api/v1/rankings/province-dti/2025?version=2")
                    == published)
            let list = try await client.json(Items<PublishedSummaryBody>.self, "/api/v1/rankings")
            #expect(
                list.items.filter { $0.period == "2025" && $0.methodId == "province-dti" }.map(\.version) == [3, 2, 1])

            // Both are public facts, and in the log (after the demo's own publications).
            struct Facts: Decodable { let items: [String] }
            let facts = try await client.json(Facts.self, "/api/v1/log/facts?limit=5").items
                .filter { $0.contains("published-ranking/province-dti/2025/") }
            let keys = facts.compactMap { PublishedFact(canonicalBytes: Data($0.utf8))?.key }
            #expect(
                keys.suffix(2) == ["published-ranking/province-dti/2025/2", "published-ranking/province-dti/2025/3"])
            let fact = try #require(
                facts.compactMap { PublishedFact(canonicalBytes: Data($0.utf8)) }.first {
                    $0.key == "published-ranking/province-dti/2025/2"
                })
            #expect(fact.fields["inputDigest"] == published.inputDigest)
            let methodDigest = SHA256.hash(data: method).map { String(format: "%02x", $0) }.joined()
            #expect(fact.fields["methodDigest"] == methodDigest)
            #expect(fact.kind == .publishedRanking)
        }
    }

    @Test func methodsAreDefinedByTheCommitteeWithFieldErrors() async throws {
        try await withApp { client in
            let methods = try await client.json(Items<RankingMethod>.self, "/api/v1/ranking-methods")
            #expect(methods.items.map(\.id) == ["ministry-delivery", "province-dti", "province-dti-geometric"])
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            var method = try #require(methods.items.first { $0.id == "province-dti" })
            method.id = "province-geometric"
            method.aggregation = .geometric
            method.pillars[0].components[0].normalisation = .goalposts(min: 1, max: 0)
            try await client.execute(
                uri: "/api/v1/ranking-methods", method: .post, headers: analyst.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(method))
            ) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try response.problem()
                #expect(problem.errors?.map(\.field) == ["pillars[0].components[0].normalisation.max"])
            }
            method.pillars[0].components[0].normalisation = .goalposts(min: 0, max: 1)
            try await client.execute(
                uri: "/api/v1/ranking-methods", method: .post, headers: analyst.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(method))
            ) { #expect($0.status == .created) }
            #expect(try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-geometric") == method)
            method.pillars[0].weight = 10
            try await client.execute(
                uri: "/api/v1/ranking-methods", method: .post, headers: analyst.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(method))
            ) { response in
                #expect(response.status == .conflict)
                let problem = try response.problem()
                #expect(problem.errors?.first?.field == "version")
            }
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            method.version = 2
            try await client.execute(
                uri: "/api/v1/ranking-methods", method: .post, headers: reporter.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(method))
            ) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/v1/rankings/province-dti/2026", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }
}
