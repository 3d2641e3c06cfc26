import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// The trends a page draws are kept between renders and dropped exactly by the commits that
/// change them (`SeriesBoard`, `ChangeTags.affectsFigures`).
@Suite struct SeriesBoardTests {
    static let uncached: HTTPFields = [.cacheControl: "no-cache"]

    /// Hà Nội's latest figure of `code` as its profile shows it, and as `/series` computes it.
    static func shown(_ client: some TestClientProtocol, _ code: String) async throws -> String? {
        let html = try await client.execute(uri: "/units/01?lang=en", method: .get, headers: uncached) { $0.text }
        return PublicFiguresTests.profileRows(html)[code]?.latest
    }

    static func computed(_ client: some TestClientProtocol, _ code: String) async throws -> String? {
        let points = try await client.json(
            PublicFiguresTests.SeriesBody.self, "/api/v1/indicators/\(code)/series?unit=01", headers: uncached
        ).points
        return points.last.map { "\(NumberText.format($0.value, .en)) người @ \($0.period)" }
    }

    /// Approves `value` as the figure of `unit` for `NL_KYNANGSO_XA` in 2026 (a correction, when
    /// one is approved already).
    static func approve(
        _ client: some TestClientProtocol, _ unit: String, _ value: Int, as admin: SignedIn,
        indicator: String = "NL_KYNANGSO_XA"
    ) async throws {
        let body = #"{"indicator":"\#(indicator)","unit":"\#(unit)","period":"2026","value":\#(value)}"#
        let entered = try await IndicatorsAPITests.post(client, "/api/v1/dataValues", body, as: admin)
        #expect(entered.status == .created || entered.status == .ok, "\(unit) \(indicator)")
        let approved = try await IndicatorsAPITests.post(
            client, "/api/v1/dataValues/\(indicator)/\(unit)/2026/approve", "", as: admin)
        #expect(approved.status == .ok, "\(unit) \(indicator)")
    }

    /// Ba Đình's (00004) figure approved by another process on the same database file.
    static func approveElsewhere(_ database: DatabaseURL, _ code: String) async throws {
        var logger = Logger(label: "mandate.test")
        logger.logLevel = .warning
        try await DatabaseConnector.withDatabase(database, logger: logger) { other in
            let input = DataValueInput(
                key: DataValueKey(indicator: code, unit: "00004", period: "2026"), value: "4000", origin: .single)
            _ = try await Store(database: other).values.submit(
                [input], by: Submitter(userId: nil, status: .approved, at: "2026-12-01T00:00:00.000Z"))
        }
    }

    /// Another process's write is not announced: the kept series stands until a commit of this
    /// instance names Hà Nội (or a commune in it) and the indicator. A value of a commune elsewhere,
    /// or of another indicator of a commune in Hà Nội, leaves it; one of the indicator in Hà Nội
    /// drops it, and the page then shows what `/series` computes from every approved value.
    @Test func aKeptTrendIsDroppedByTheCommitsThatChangeItOnly() async throws {
        let code = "NL_KYNANGSO_XA"
        try await withAppOnFile({ $0.publicAnswerLifetime = .seconds(3600) }) { client, arguments in
            let database = arguments.database
            let before = try #require(try await Self.shown(client, code))
            let first = try await Self.computed(client, code)
            #expect(before == first)

            try await Self.approveElsewhere(database, code)
            let moved = try #require(try await Self.computed(client, code))
            #expect(moved != before)
            #expect(try await Self.shown(client, code) == before)

            let admin = try await client.signIn("admin@demo.mandate.vn")
            try await Self.approve(client, "25747", 5000, as: admin)
            #expect(try await Self.shown(client, code) == before)
            try await Self.approve(client, "00004", 1, as: admin, indicator: "HT_BANGRONG")
            #expect(try await Self.shown(client, code) == before)

            try await Self.approve(client, "00008", 3000, as: admin)
            let after = try #require(try await Self.shown(client, code))
            let computed = try await Self.computed(client, code)
            #expect(after != before && after != moved && after == computed)
        }
    }

    /// Kept for no time, a series is read again on every render: another process's write shows at once.
    @Test func aSeriesKeptForNoTimeIsReadOnEveryRender() async throws {
        let code = "NL_KYNANGSO_XA"
        try await withAppOnFile({ $0.publicAnswerLifetime = .zero }) { client, arguments in
            let database = arguments.database
            let before = try #require(try await Self.shown(client, code))
            try await Self.approveElsewhere(database, code)
            let (after, computed) = (try await Self.shown(client, code), try await Self.computed(client, code))
            #expect(after != before && after == computed)
        }
    }
}
