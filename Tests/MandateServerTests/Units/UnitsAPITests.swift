import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MandateServer

@Suite struct UnitsAPITests {
    struct UnitBody: Decodable {
        let code: String
        let kind: String
        let name: String
        let shortName: String
        let parentCode: String?
        let latitude: Double?
        let active: Bool
    }
    struct PageBody: Decodable {
        let items: [UnitBody]
        let total: Int
    }
    struct DetailBody: Decodable {
        struct Link: Decodable {
            let unitCode: String
            let predecessorCode: String
        }
        let code: String
        let name: String
        let path: [String]
        let predecessors: [Link]
        let successors: [Link]
    }

    @Test func listsTheThirtyFourProvinces() async throws {
        try await withApp { client in
            let page = try await client.json(PageBody.self, "/api/v1/units?kind=province&limit=100")
            #expect(page.total == 34 && page.items.count == 34)
            let hanoi = try #require(page.items.first { $0.code == "01" })
            #expect(hanoi.name == "Thành phố Hà Nội" && hanoi.shortName == "Hà Nội" && hanoi.parentCode == "BCD")
            #expect(hanoi.latitude == 21.0001)
        }
    }

    @Test func searchIgnoresDiacriticsAndFiltersByParent() async throws {
        try await withApp { client in
            let plain = try await client.json(PageBody.self, "/api/v1/units?search=ha%20noi")
            let accented = try await client.json(PageBody.self, "/api/v1/units?search=H%C3%A0%20N%E1%BB%99i")
            #expect(plain.items.map(\.code) == accented.items.map(\.code))
            #expect(plain.items.map(\.code) == ["01"])
            let dWord = try await client.json(PageBody.self, "/api/v1/units?kind=province&q=%C4%91a%20nang")
            #expect(dWord.items.map(\.code) == ["48"])
            let communes = try await client.json(PageBody.self, "/api/v1/units?parent=01&limit=5000")
            #expect(communes.total > 100 && communes.items.allSatisfy { $0.kind == "commune" && $0.parentCode == "01" })
        }
    }

    @Test func oneUnitCarriesItsPathAndLineage() async throws {
        try await withApp { client in
            let tuyenQuang = try await client.json(DetailBody.self, "/api/v1/units/08")
            #expect(tuyenQuang.path == ["08", "BCD"])
            #expect(tuyenQuang.predecessors.map(\.predecessorCode) == ["pre2025-02", "pre2025-08"])
            let haGiang = try await client.json(DetailBody.self, "/api/v1/units/pre2025-02")
            #expect(haGiang.successors.map(\.unitCode) == ["08"])
            let ward = try await client.json(DetailBody.self, "/api/v1/units/00004")
            #expect(ward.path == ["00004", "01", "BCD"])
        }
    }

    @Test func unknownUnitIsAProblemDocument() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/units/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let problem = try response.problem()
                #expect(problem.type == "/problems/not-found" && problem.status == 404)
                #expect(problem.detail?.contains("nope") == true)
            }
        }
    }

    @Test(arguments: [
        ("/api/v1/units?kind=village", "kind"), ("/api/v1/units?limit=0", "limit"),
        ("/api/v1/units?limit=abc", "limit"), ("/api/v1/units?offset=-1", "offset"),
        ("/api/v1/units?includeInactive=maybe", "includeInactive"),
    ])
    func badParametersNameTheirField(uri: String, field: String) async throws {
        try await withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                let problem = try response.problem()
                #expect(problem.errors?.first?.field == field)
            }
        }
    }

    @Test func conditionalRequestsGetNotModified() async throws {
        try await withApp { client in
            let etag = try await client.execute(uri: "/api/v1/units?kind=province", method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/api/v1/units?kind=province", method: .get, headers: [.ifNoneMatch: etag]) {
                response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
    }
}
