import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

@Suite struct PortalPagesTests {
    static func get(
        _ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, text: String) {
        try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, $0.headers, $0.text) }
    }

    /// The cells of the rows of the table with `id`, as text without tags.
    static func rows(_ html: String, table id: String) -> [[String]] {
        guard let start = html.range(of: "id=\"\(id)\"") else { return [] }
        let rest = html[start.upperBound...]
        let table = rest[..<(rest.range(of: "</table>")?.lowerBound ?? rest.endIndex)]
        return table.components(separatedBy: "<tr>").dropFirst().filter { !$0.contains(#"scope="col""#) }.map { row in
            row.components(separatedBy: "</t").dropLast().map { cell in
                cell.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                    .replacingOccurrences(of: "^[^>]*>", with: "", options: .regularExpression)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }

    struct Export: Decodable {
        struct Item: Decodable {
            let dataElement: String
            let orgUnit: String
            let period: String
            let value: String
        }
        let dataValues: [Item]
    }

    /// The national figures of a weighted-mean indicator, recomputed here from the approved values
    /// the API exports: Σ value × weight ÷ Σ weight over every unit, by period.
    @Test func anIndicatorPageShowsTheNationalFiguresTheApprovedValuesGive() async throws {
        try await withApp { client in
            let values = try await client.json(Export.self, "/api/v1/dataValues?indicator=DVC_TT&limit=100000")
            let weights = try await client.json(Export.self, "/api/v1/dataValues?indicator=DVC_TS&limit=100000")
            var weight: [String: Double] = [:]
            for item in weights.dataValues { weight["\(item.orgUnit)/\(item.period)"] = Double(item.value) }
            var sums: [String: (weighted: Double, weight: Double)] = [:]
            for item in values.dataValues {
                guard let w = weight["\(item.orgUnit)/\(item.period)"], let v = Double(item.value) else { continue }
                sums[item.period, default: (0, 0)].weighted += v * w
                sums[item.period, default: (0, 0)].weight += w
            }
            #expect(sums.count > 4)
            let page = try await Self.get(client, "/indicators/DVC_TT?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<svg class="chart chart-trajectory""#))
            #expect(page.text.contains(#"<svg class="chart chart-spread""#))
            #expect(page.text.contains(#"data-live="indicator:DVC_TT""#))
            let national = Self.rows(page.text, table: "national-table")
            #expect(national.count == sums.count)
            for row in national {
                let period = row[0]
                let expected = try #require(sums[period])
                let shown = try #require(Double(row[1]))
                #expect(abs(shown - expected.weighted / expected.weight) < 0.005 + 1e-9, "\(period)")
            }
            // The spread lists the 34 provinces' figures of the latest period.
            #expect(Self.rows(page.text, table: "province-table").count == 34)
            let vietnamese = try await Self.get(client, "/indicators/DVC_TT")
            #expect(vietnamese.text.contains("Giá trị toàn quốc so với lộ trình mục tiêu"))
            #expect(try await Self.get(client, "/indicators/NOPE").status == .notFound)
        }
    }

    /// Every trend row (the overview's headlines, the indicator list, a profile's indicators) links
    /// to its indicator under the indicator's name in the page's language.
    @Test func everyTrendRowNamesItsIndicatorInThePagesLanguage() async throws {
        struct Listing: Decodable {
            struct Item: Decodable {
                let code: String
                let nameVi: String
                let nameEn: String
            }
            let items: [Item]
        }
        try await withApp { client in
            let indicators = try await client.json(Listing.self, "/api/v1/indicators").items
            let regex = try NSRegularExpression(pattern: #"<a href="/indicators/([^"?]+)">([^<]*)</a>"#)
            for (uri, table) in [
                ("/", "headlines"), ("/indicators", "indicators-table"), ("/units/01", "unit-indicators"),
            ] {
                for language in ["vi", "en"] {
                    let html = try await Self.get(client, "\(uri)?lang=\(language)").text
                    guard let start = html.range(of: #"id="\#(table)""#) else {
                        Issue.record("\(uri): no table \(table)")
                        continue
                    }
                    let rest = String(html[start.upperBound...])
                    let body = String(rest[..<(rest.range(of: "</table>")?.lowerBound ?? rest.endIndex)])
                    let links = regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap {
                        match -> (String, String)? in
                        guard let code = Range(match.range(at: 1), in: body),
                            let name = Range(match.range(at: 2), in: body)
                        else { return nil }
                        return (String(body[code]), String(body[name]))
                    }
                    #expect(links.count > 3, "\(uri) \(language)")
                    for (code, shown) in links {
                        let indicator = try #require(indicators.first { $0.code == code }, "\(uri) \(code)")
                        let name = language == "vi" ? indicator.nameVi : indicator.nameEn
                        var text = shown
                        for (entity, character) in [
                            ("&#39;", "'"), ("&#x27;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"),
                            ("&amp;", "&"),
                        ] {
                            text = text.replacingOccurrences(of: entity, with: character)
                        }
                        #expect(text == name, "\(uri) \(language) \(code)")
                    }
                }
            }
        }
    }

    @Test func theOverviewShowsHeadlinesDeliveryTheMapAndTheFeed() async throws {
        try await withApp { client in
            let page = try await Self.get(client, "/?lang=en")
            #expect(page.status == .ok)
            let html = page.text
            // The title says what the site is about, then its name, once.
            #expect(html.contains("<title>Delivery of Resolution 57-NQ/TW · Mandate</title>"))
            #expect(html.contains(#"id="headlines""#) && html.contains(#"<svg class="sparkline""#))
            // One place per province, each linking to its profile and named for screen readers.
            #expect(html.components(separatedBy: #"<circle class="place score-"#).count - 1 >= 34 + 5)
            #expect(html.contains(#"<a href="/units/01" aria-label="#))
            #expect(html.contains(#"role="img" aria-labelledby="province-map-title province-map-desc""#))
            // The map is coloured by the demo's published province ranking.
            #expect(html.contains("/rankings/province-dti/2025?version=1"))
            // The newest facts first: the demo published its rankings last.
            let feed = try #require(html.components(separatedBy: #"id="live-feed""#).last)
            #expect(feed.contains("Ranking published"))
            // Each fact's time is shown in Hà Nội time; the exact instant stays in `datetime`.
            let times = feed.components(separatedBy: #"<time datetime=""#).dropFirst()
            #expect(!times.isEmpty)
            for time in times {
                let parts = time.components(separatedBy: "</time>")[0].components(separatedBy: #"">"#)
                #expect(parts.count == 2 && parts[0].hasSuffix("Z") && parts[1] == HanoiTime.text(parts[0], .en))
                #expect(!parts[1].contains("T") && parts[1].contains(", "))
            }
            #expect(html.contains(#"data-live="*""#))
            #expect(html.contains(#"id="delivery-summary""#) && html.contains("Overdue"))
            // The counts are the escalation board's totals and the number of tasks.
            struct Board: Decodable {
                struct Totals: Decodable {
                    let overdue: Int
                    let dueWithin30Days: Int
                }
                let totals: Totals
            }
            struct Listing: Decodable { let total: Int }
            let board = try await client.json(Board.self, "/api/v1/escalation")
            let tasks = try await client.json(Listing.self, "/api/v1/tasks?limit=1").total
            #expect(html.contains(#"<a href="/tasks?status=overdue"><strong>\#(board.totals.overdue)</strong>"#))
            #expect(html.contains(#"<a href="/tasks"><strong>\#(tasks)</strong>"#))
            #expect(html.contains(#"<strong>\#(board.totals.dueWithin30Days)</strong> Due within 30 days"#))
        }
    }

    /// The overview keeps its counts, map, delivery cards and feed between renders (`KeptParts`);
    /// each write that changes one of them shows on the next read, whether the reader asks the
    /// edge or not.
    struct IndicatorName: Decodable { let nameEn: String }

    @Test func eachWriteThatChangesTheOverviewShowsOnItsNextRead() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let admin = try await client.signIn("admin@demo.mandate.vn")
            struct Listing: Decodable { let total: Int }
            func overview() async throws -> String {
                let page = try await Self.get(client, "/?lang=en")
                #expect(page.status == .ok)
                return page.text
            }
            func tasksCard(_ html: String) -> String? {
                html.components(separatedBy: #"<a href="/tasks"><strong>"#).dropFirst().first?
                    .components(separatedBy: "</strong>").first
            }
            let before = try await overview()
            #expect(try await overview() == before)
            let total = try await client.json(Listing.self, "/api/v1/tasks?limit=1").total
            #expect(tasksCard(before) == NumberText.format(Double(total), .en))

            // A new task: the delivery cards count it.
            let (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("KEPT-1"), as: analyst)
            #expect(status == .created)
            #expect(tasksCard(try await overview()) == NumberText.format(Double(total + 1), .en))

            // An approved value: the feed's newest fact names it.
            try await SeriesBoardTests.approve(client, "00004", 4321, as: admin)
            let feed = try #require(try await overview().components(separatedBy: #"id="live-feed""#).last)
            let newest = try #require(feed.components(separatedBy: "</li>").first)
            // Named in the page's language, the value written its way.
            let indicator = try await client.json(IndicatorName.self, "/api/v1/indicators/NL_KYNANGSO_XA")
            #expect(newest.contains(indicator.nameEn) && newest.contains("= 4,321"))
            #expect(!newest.contains(">NL_KYNANGSO_XA"))

            // A new version of the province ranking colours the map.
            #expect(before.contains("/rankings/province-dti/2025?version=1"))
            let (published, _) = try await TasksAPITests.post(
                client, "/api/v1/rankings/province-dti/2025/publish", ["previousPeriod": "2024"], as: analyst)
            #expect(published == .ok || published == .created)
            let after = try await overview()
            #expect(after.contains("/rankings/province-dti/2025?version=2"))
            #expect(!after.contains("/rankings/province-dti/2025?version=1"))
        }
    }

    @Test func aUnitProfileShowsItsRanksIndicatorsAndTasks() async throws {
        try await withApp { client in
            let page = try await Self.get(client, "/units/01?lang=en")
            #expect(page.status == .ok)
            let ranks = Self.rows(page.text, table: "unit-ranks")
            #expect(ranks.count == 1)
            #expect(page.text.contains(#"id="unit-indicators""#) && page.text.contains(#"id="unit-tasks""#))
            #expect(page.text.contains(#"data-live="unit:01""#))
            // The rank shown is the one the published ranking gives.
            struct Published: Decodable {
                struct Result: Decodable {
                    struct Unit: Decodable {
                        let unit: String
                        let rank: Int?
                    }
                    let units: [Unit]
                }
                let result: Result
            }
            let published = try await client.json(Published.self, "/api/v1/rankings/province-dti/2025")
            let rank = try #require(published.result.units.first { $0.unit == "01" }?.rank)
            #expect(ranks.first?[2].hasPrefix("\(rank) / 34") == true)
        }
    }

    /// The task explorer's search ignores diacritics and finds a unit's tasks by the unit's name.
    @Test func theTaskSearchFindsAUnitsTasksByItsNameWithoutDiacritics() async throws {
        try await withApp { client in
            struct Listing: Decodable {
                struct Item: Decodable {
                    let code: String
                    let leadUnit: String
                }
                let items: [Item]
                let total: Int
            }
            let found = try await client.json(Listing.self, "/api/v1/tasks?search=ha%20noi&limit=1000")
            #expect(found.items.contains { $0.code == "NQ57-CTCT-01" })
            let led = try await client.json(Listing.self, "/api/v1/tasks?unit=01&limit=1000")
            #expect(Set(found.items.map(\.code)).isSuperset(of: led.items.map(\.code)))
            // The words of a title still narrow the search.
            let page = try await Self.get(client, "/tasks?search=HA%20NOI&lang=en")
            #expect(page.text.contains("NQ57-CTCT-01") && !page.text.contains("NQ57-CTCT-04"))
        }
    }

    @Test func publicAnswersCarryAnETagAndHonourIfNoneMatch() async throws {
        try await withApp { client in
            for uri in ["/", "/open-data/units.csv", "/api/v1/indicators", "/methodology"] {
                let first = try await Self.get(client, uri)
                let etag = try #require(first.headers[.eTag], "\(uri)")
                let again = try await Self.get(client, uri, headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified && again.text.isEmpty, "\(uri)")
                let other = try await Self.get(client, uri, headers: [.ifNoneMatch: "\"0000\""])
                #expect(other.status == .ok && other.text == first.text, "\(uri)")
            }
            // Signed-in answers are private: no ETag is added to them.
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let page = try await Self.get(client, "/", headers: [.cookie: "mandate_session=\(analyst.cookie)"])
            #expect(page.status == .ok && page.headers[.eTag] == nil)
        }
    }

    @Test func openDataIsDownloadableAsCSVAndJSONWithItsDictionary() async throws {
        try await withApp { client in
            let index = try await Self.get(client, "/open-data?lang=en")
            #expect(index.text.contains(#"rel="license""#) && index.text.contains("Data dictionary"))
            let units = try await Self.get(client, "/open-data/units.csv")
            #expect(units.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = units.text.split(separator: "\n")
            #expect(lines.first == "code,kind,name,short_name,parent_code,lat,lon,area_km2")
            #expect(lines.filter { $0.contains(",province,") }.count == 34)
            #expect(lines.filter { $0.contains(",commune,") }.count == 3321)

            struct Dataset: Decodable {
                let licence: String
                let columns: [String]
                let rows: [[String: JSONValue]]
            }
            let rankings = try await client.json(Dataset.self, "/open-data/rankings.json")
            #expect(rankings.licence.contains("creativecommons.org/licenses/by/4.0"))
            struct Published: Decodable {
                struct Result: Decodable {
                    struct Unit: Decodable {
                        let unit: String
                        let score: Double?
                    }
                    let units: [Unit]
                }
                let result: Result
            }
            let published = try await client.json(Published.self, "/api/v1/rankings/province-dti/2025")
            let rows = rankings.rows.filter {
                $0["method"] == .string("province-dti") && $0["period"] == .string("2025")
            }
            #expect(rows.count == published.result.units.count)
            for unit in published.result.units {
                let row = try #require(rows.first { $0["unit"] == .string(unit.unit) })
                if case .number(let score) = row["score"], let expected = unit.score {
                    #expect(abs(score - expected) < 1e-9)
                } else {
                    #expect(unit.score == nil && row["score"] == .null)
                }
            }
            // Every published ranking is listed with its three files and the command that reads them.
            let reproduction = try await client.json(Dataset.self, "/open-data/ranking-reproduction.json")
            let row = try #require(
                reproduction.rows.first {
                    $0["method"] == .string("province-dti") && $0["period"] == .string("2025")
                })
            let command =
                "mandate rank --method province-dti-2025-v1-method.json --data province-dti-2025-v1-inputs.csv"
                + " --units province-dti-2025-v1-units.csv --period 2025 --previous 2024"
            #expect(row["command"] == .string(command))
            #expect(row["inputs_file"] == .string("/api/v1/rankings/province-dti/2025/inputs?version=1"))
            let methods = reproduction.rows.compactMap { row -> String? in
                if case .string(let method) = row["method"] { return method }
                return nil
            }
            #expect(Set(methods) == ["province-dti", "ministry-delivery"])
            #expect(index.text.contains(command) && index.text.contains("Recompute a published ranking"))
            #expect(index.text.contains(#"href="/api/v1/rankings/province-dti/2025/method?version=1""#))
            #expect(index.text.contains(#"download="province-dti-2025-v1-units.csv""#))
            let vietnamese = try await Self.get(client, "/open-data")
            #expect(
                vietnamese.text.contains(command) && vietnamese.text.contains("Tính lại một bảng xếp hạng đã công bố"))
            #expect(try await Self.get(client, "/open-data/secrets.csv").status == .notFound)
            // No personal data: no e-mail address in any dataset.
            for name in OpenData.datasets.map(\.name) {
                #expect(!(try await Self.get(client, "/open-data/\(name).json").text.contains("@")), "\(name)")
            }
        }
    }
}

/// A JSON value, to read open-data rows whose cells have different types.
enum JSONValue: Decodable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

extension PortalPagesTests {
    /// Đà Nẵng (48) took over the former Đà Nẵng and Quảng Nam: its profile's DTI series starts in
    /// 2023 with their values re-based (the demo's illustrative 2023 DTI of the former provinces),
    /// and says so.
    @Test func aMergedProvincesProfileCarriesItsPredecessorsSeries() async throws {
        try await withApp { client in
            let page = try await Self.get(client, "/units/48?lang=en").text
            #expect(page.contains("2023: the former provinces&#39; values, re-based"))
            let vietnamese = try await Self.get(client, "/units/48").text
            #expect(vietnamese.contains("2023: số liệu của các tỉnh cũ, quy đổi"))
            // Each unit's reporting timeliness this year is public.
            let commune = try await Self.get(client, "/units/00004?lang=en").text
            #expect(commune.contains(#"<dl class="facts" id="unit-timeliness">"#))
            #expect(commune.contains("<dt>Late</dt><dd>0</dd>") && commune.contains("<dt>On time</dt><dd>"))
        }
    }
}
