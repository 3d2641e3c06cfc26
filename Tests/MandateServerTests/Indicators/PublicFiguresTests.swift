import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// The API and the pages show the same figures: a unit's series, its timeliness, its figure for a
/// period, each computed once (`PublicFigure`, `Lineage`, `ReportingSpan`, `Timeliness`).
@Suite struct PublicFiguresTests {
    struct SeriesBody: Decodable {
        struct Point: Decodable {
            let period: String
            let value: Double
            let source: String?
        }
        let points: [Point]
    }
    struct IndicatorList: Decodable {
        struct Item: Decodable { let code: String }
        let items: [Item]
    }
    typealias TimelinessBody = IndicatorsAPITests.TimelinessBody

    static func arguments(at instant: String) -> TestArguments {
        var arguments = TestArguments()
        arguments.clock = .fixed(instant)
        return arguments
    }

    static func page(_ client: some TestClientProtocol, _ uri: String) async throws -> String {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "GET \(uri)")
            return response.text
        }
    }

    /// What the profile's indicator table shows per indicator: the sparkline's text (every figure,
    /// when there are two or more) and the latest figure with its period.
    static func profileRows(_ html: String) -> [String: (label: String?, latest: String)] {
        guard let start = html.range(of: #"id="unit-indicators""#) else { return [:] }
        let table = html[start.upperBound...]
        let body = table[..<(table.range(of: "</table>")?.lowerBound ?? table.endIndex)]
        var rows: [String: (label: String?, latest: String)] = [:]
        for row in body.components(separatedBy: "<tr>").dropFirst() {
            guard let code = Self.first(#"href="/indicators/([^"]+)""#, in: row),
                let latest = Self.first(
                    #"<td class="num">([^<]*)<br><span class="meta">([^<]*)</span>"#, in: row, all: true)
            else { continue }
            rows[code] = (Self.first(#"aria-label="([^"]*)""#, in: row), latest)
        }
        return rows
    }

    /// The first match's first group (or all its groups, joined by " @ ").
    static func first(_ pattern: String, in text: String, all: Bool = false) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        let groups = (1..<match.numberOfRanges).compactMap {
            Range(match.range(at: $0), in: text).map { String(text[$0]) }
        }
        return all ? groups.joined(separator: " @ ") : groups.first
    }

    /// A province's series from `/api/v1/indicators/{code}/series` is the series its page shows,
    /// indicator by indicator: Hà Nội's (01) commune roll-ups included, and Đà Nẵng's (48) periods
    /// re-based from the provinces it took over.
    @Test func aProvincesSeriesIsTheSameInTheAPIAndOnItsPage() async throws {
        try await withApp(Self.arguments(at: "2026-12-05T09:00:00.000Z")) { client in
            let codes = try await client.json(IndicatorList.self, "/api/v1/indicators").items.map(\.code)
            for unit in ["01", "48"] {
                let rows = Self.profileRows(try await Self.page(client, "/units/\(unit)?lang=en"))
                var shown = 0
                for code in codes {
                    let points = try await client.json(
                        SeriesBody.self, "/api/v1/indicators/\(code)/series?unit=\(unit)"
                    ).points
                    guard let last = points.last else {
                        #expect(rows[code] == nil, "\(unit) \(code): the page shows a series the API does not")
                        continue
                    }
                    let row = try #require(rows[code], "\(unit) \(code): the API has a series the page does not show")
                    // The latest figure and its unit of measure, then its period.
                    let latest = row.latest.components(separatedBy: " @ ").first ?? ""
                    #expect(latest.hasPrefix(NumberText.format(last.value, .en) + " "), "\(unit) \(code)")
                    #expect(row.latest.hasSuffix(" @ \(last.period)"), "\(unit) \(code)")
                    let label = points.map { "\($0.period): \(NumberText.format($0.value, .en))" }
                        .joined(separator: "; ")
                    #expect(row.label == (points.count > 1 ? label : nil), "\(unit) \(code)")
                    shown += 1
                }
                #expect(shown == rows.count && shown > 5, "\(unit)")
            }
            // Hà Nội reports no broadband itself: its series is its communes' roll-up.
            let broadband = try await client.json(SeriesBody.self, "/api/v1/indicators/HT_BANGRONG/series?unit=01")
            #expect(broadband.points.map(\.period) == ["2024", "2025", "2026"])
            #expect(broadband.points.allSatisfy { $0.source == "rollup" })
        }
    }

    /// The timeliness the profile shows is the API's, at one fixed clock: for a province, a commune,
    /// a ministry and a former province (which owed 2025Q1, 2025Q2 and the year 2025, and nothing
    /// after it ceased on 1 July 2025).
    @Test func aUnitsTimelinessIsTheSameInTheAPIAndOnItsPage() async throws {
        try await withApp(Self.arguments(at: "2025-11-15T09:00:00.000Z")) { client in
            for unit in ["01", "00004", "BCA", "pre2025-02"] {
                let report = try await client.json(TimelinessBody.self, "/api/v1/units/\(unit)/timeliness")
                #expect(report.year == 2025)
                let html = try await Self.page(client, "/units/\(unit)?lang=en")
                let facts = try #require(
                    Self.first(
                        #"<dl class="facts" id="unit-timeliness">(.*?)</dl>"#,
                        in: html.replacingOccurrences(of: "\n", with: " ")), "\(unit)")
                func count(_ word: String) -> Int? {
                    Self.first("<dt>\(word)</dt><dd>([0-9]+)</dd>", in: facts).flatMap { Int($0) }
                }
                let shown = TimelinessBody.Summary(
                    onTime: count("On time") ?? -1, late: count("Late") ?? -1, missing: count("Missing") ?? -1,
                    notDue: count("Not yet due") ?? -1)
                #expect(shown == report.summary, "\(unit)")
                #expect(html.contains("Reporting timeliness 2025"), "\(unit)")
            }
            // The former province owed the first two quarters (missing: nothing came) and the year
            // 2025 (not yet due); not 2025Q3, although its due date (30 October) has passed.
            let former = try await client.json(TimelinessBody.self, "/api/v1/units/pre2025-02/timeliness")
            #expect(former.indicators["DVC_TS"] == .init(onTime: 0, late: 0, missing: 2, notDue: 0))
            #expect(former.indicators["DTI_CQS"] == .init(onTime: 0, late: 0, missing: 0, notDue: 1))
        }
    }

    /// A former province is not counted missing for periods after it ceased, as the server refuses
    /// its values for them: the same rule both ways.
    @Test func aFormerProvinceOwesNoReportAfterItCeased() async throws {
        try await withApp(Self.arguments(at: "2026-03-01T09:00:00.000Z")) { client in
            let year2025 = try await client.json(TimelinessBody.self, "/api/v1/units/pre2025-02/timeliness?year=2025")
            for code in ["DVC_TS", "DVC_TT", "NS_GIAINGAN"] {
                #expect(year2025.indicators[code] == .init(onTime: 0, late: 0, missing: 2, notDue: 0), "\(code)")
            }
            #expect(year2025.indicators["DTI_CQS"] == .init(onTime: 0, late: 0, missing: 1, notDue: 0))
            let year2026 = try await client.json(TimelinessBody.self, "/api/v1/units/pre2025-02/timeliness?year=2026")
            #expect(year2026.summary == .init(onTime: 0, late: 0, missing: 0, notDue: 0))
            // Its page shows no timeliness this year: it owes nothing in 2026.
            #expect(!(try await Self.page(client, "/units/pre2025-02?lang=en")).contains(#"id="unit-timeliness""#))
            // What it owes, it may report; what it does not, the server refuses.
            let admin = try await client.signIn("admin@demo.mandate.vn")
            var headers = admin.headers
            headers[.contentType] = "text/csv"
            let file = "indicator,unit,period,value\nDVC_TS,pre2025-02,2025Q2,120\nDVC_TS,pre2025-02,2025Q3,130\n"
            let refused = try await client.execute(
                uri: "/api/v1/dataValueSets?approve=true", method: .post, headers: headers,
                body: ByteBuffer(string: file)
            ) { try $0.problem() }
            #expect(refused.errors?.map(\.line) == [3])
            let accepted = try await client.execute(
                uri: "/api/v1/dataValueSets?approve=true", method: .post, headers: headers,
                body: ByteBuffer(string: "indicator,unit,period,value\nDVC_TS,pre2025-02,2025Q2,120\n")
            ) { $0.status }
            #expect(accepted == .ok)
            let after = try await client.json(TimelinessBody.self, "/api/v1/units/pre2025-02/timeliness?year=2025")
            #expect(after.indicators["DVC_TS"] == .init(onTime: 0, late: 1, missing: 1, notDue: 0))
        }
    }

    struct RollupBody: Decodable {
        let value: Double?
        let count: Int
        let figure: Double?
        let source: String?
    }

    /// `/rollup` gives, beside the roll-up, the unit's public figure and where it comes from, as the
    /// indicator page shows it: the nation's GDP share is the committee's own value (its rule,
    /// none, combines nothing); Hà Nội's broadband is its communes' roll-up.
    @Test func theRollupNamesTheUnitsPublicFigure() async throws {
        try await withApp(Self.arguments(at: "2026-12-05T09:00:00.000Z")) { client in
            let gdp = try await client.json(RollupBody.self, "/api/v1/indicators/R57_GDP/rollup?period=2025")
            #expect(gdp.value == nil && gdp.count == 0 && gdp.figure == 16.4 && gdp.source == "own")
            let page = try await Self.page(client, "/indicators/R57_GDP?lang=en")
            let national = PortalPagesTests.rows(page, table: "national-table")
            #expect(national.first { $0.first == "2025" }?[1] == "16.4")
            let broadband = try await client.json(
                RollupBody.self, "/api/v1/indicators/HT_BANGRONG/rollup?period=2025&unit=01")
            #expect(broadband.source == "rollup" && broadband.figure == broadband.value && broadband.count > 100)
            let dti = try await client.json(RollupBody.self, "/api/v1/indicators/DTI_CQS/rollup?period=2025&unit=01")
            #expect(dti.source == "own" && dti.value == nil && dti.figure != nil)
            let nothing = try await client.json(
                RollupBody.self, "/api/v1/indicators/DTI_CQS/rollup?period=2023&unit=01")
            #expect(nothing.figure == nil && nothing.source == nil)
        }
    }
}
