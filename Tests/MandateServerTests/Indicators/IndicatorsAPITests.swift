import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateStore
import Testing

@testable import MandateServer

@Suite struct IndicatorsAPITests {
    struct IndicatorBody: Decodable {
        struct Rule: Decodable {
            let method: String
            let denominator: String?
        }
        struct Target: Decodable, Equatable {
            let year: Int
            let value: Double
        }
        let code: String
        let nameEn: String
        let valueType: String
        let rollup: Rule
        let targets: [Target]
        let dueDays: Int
        let illustrative: Bool
    }
    struct ValueBody: Decodable {
        struct Pending: Decodable {
            let value: Double
            let enteredBy: String?
        }
        let indicator: String
        let unit: String
        let period: String
        let value: Double
        let status: String
        let enteredBy: String?
        let approvedBy: String?
        let late: Bool
        let pending: Pending?
    }
    struct TimelinessBody: Decodable {
        struct Summary: Decodable, Equatable {
            let onTime: Int
            let late: Int
            let missing: Int
            let notDue: Int
        }
        let year: Int
        let summary: Summary
        let indicators: [String: Summary]
    }
    struct SetBody: Decodable {
        struct Item: Decodable, Equatable {
            let dataElement: String
            let orgUnit: String
            let period: String
            let value: String
            let comment: String?
        }
        let dataValues: [Item]
    }
    struct SummaryBody: Decodable, Equatable {
        let created: Int
        let updated: Int
        let unchanged: Int
    }
    struct RollupBody: Decodable {
        let unit: String
        let method: String
        let value: Double?
        let count: Int
        let target: Double?
    }
    struct DetailBody: Decodable {
        struct Revision: Decodable {
            let value: Double
        }
        let value: ValueBody
        let history: [Revision]
    }

    static let broadband = #"""
        {"code":"T_BB","nameVi":"Số thôn có băng rộng","nameEn":"Villages with broadband","unitOfMeasure":"thôn",
         "valueType":"number","direction":"higher","frequency":"yearly","appliesTo":["province","commune"],
         "rollup":{"method":"sum"},"targets":[{"year":2030,"value":100}]}
        """#
    static let share = #"""
        {"code":"T_PCT","nameVi":"Tỷ lệ","nameEn":"A share","unitOfMeasure":"%","valueType":"percent",
         "direction":"higher","frequency":"quarterly","appliesTo":["province"],"rollup":{"method":"mean"}}
        """#

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ body: String, as user: SignedIn,
        contentType: String = "application/json", method: HTTPRequest.Method = .post
    ) async throws -> TestResponse {
        var headers = user.headers
        headers[.contentType] = contentType
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    static func define(_ client: some TestClientProtocol) async throws -> SignedIn {
        let analyst = try await client.signIn("analyst@demo.mandate.vn")
        for body in [broadband, share] {
            let response = try await post(client, "/api/v1/indicators", body, as: analyst)
            #expect(response.status == .created, "\(response.text)")
        }
        return analyst
    }

    @Test func committeeRolesDefineIndicatorsAndReportersCannot() async throws {
        try await withApp { client in
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let refused = try await Self.post(client, "/api/v1/indicators", Self.broadband, as: reporter)
            #expect(refused.status == .forbidden)
            #expect(try refused.problem().detail == "only committee roles may define indicators")
            let analyst = try await Self.define(client)
            let stored = try await client.json(IndicatorBody.self, "/api/v1/indicators/T_BB")
            #expect(stored.nameEn == "Villages with broadband" && stored.rollup.method == "sum")
            #expect(stored.targets == [.init(year: 2030, value: 100)] && stored.dueDays == 30 && !stored.illustrative)
            let changed = Self.broadband.replacingOccurrences(
                of: #"[{"year":2030,"value":100}]"#, with: #"[{"year":2030,"value":120},{"year":2026,"value":40}]"#)
            let updated = try await Self.post(
                client, "/api/v1/indicators/T_BB", changed, as: analyst, method: .put)
            #expect(updated.status == .ok)
            let after = try await client.json(IndicatorBody.self, "/api/v1/indicators/T_BB")
            #expect(after.targets == [.init(year: 2026, value: 40), .init(year: 2030, value: 120)])
            let again = try await Self.post(client, "/api/v1/indicators", Self.broadband, as: analyst)
            #expect(again.status == .conflict)
            let bad = Self.share.replacingOccurrences(of: #""code":"T_PCT""#, with: #""code":"T PCT""#)
                .replacingOccurrences(of: #"{"method":"mean"}"#, with: #"{"method":"weightedMean"}"#)
            let invalid = try await Self.post(client, "/api/v1/indicators", bad, as: analyst)
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.problem().errors?.compactMap(\.field) == ["code", "rollup.denominator"])
            let badType = try await Self.post(
                client, "/api/v1/indicators", Self.share.replacingOccurrences(of: "percent", with: "ratio"),
                as: analyst)
            #expect(badType.status == .badRequest)
            #expect(try badType.problem().errors?.first?.field == "valueType")
        }
    }

    @Test func aReporterEntersOwnUnitsValuesOnlyAndTheHeadApprovesThem() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let entered = try await Self.post(
                client, "/api/v1/dataValues",
                #"{"indicator":"T_PCT","unit":"01","period":"2026Q1","value":"42.5","comment":"quý 1"}"#, as: reporter)
            #expect(entered.status == .created)
            let value = try JSONDecoder().decode(ValueBody.self, from: Data(buffer: entered.body))
            #expect(value.value == 42.5 && value.status == "draft" && value.enteredBy == reporter.userId)
            let other = try await Self.post(
                client, "/api/v1/dataValues", #"{"indicator":"T_PCT","unit":"79","period":"2026Q1","value":1}"#,
                as: reporter)
            #expect(other.status == .forbidden)
            #expect(try other.problem().detail == "unit_reporter of 01 may not act for 79")
            // Drafts are not public.
            let before = try await client.json(SetBody.self, "/api/v1/dataValues?indicator=T_PCT")
            #expect(before.dataValues.isEmpty)
            // A reporter may not approve; the head may.
            let path = "/api/v1/dataValues/T_PCT/01/2026Q1"
            let notHead = try await Self.post(client, path + "/approve", "", as: reporter)
            #expect(notHead.status == .forbidden)
            let head = try await client.signIn("head.hanoi@demo.mandate.vn")
            let approved = try await Self.post(client, path + "/approve", "", as: head)
            #expect(approved.status == .ok)
            let body = try JSONDecoder().decode(ValueBody.self, from: Data(buffer: approved.body))
            #expect(body.status == "approved" && body.approvedBy == head.userId)
            let after = try await client.json(SetBody.self, "/api/v1/dataValues?indicator=T_PCT&period=2026Q1")
            #expect(
                after.dataValues == [
                    .init(dataElement: "T_PCT", orgUnit: "01", period: "2026Q1", value: "42.5", comment: "quý 1")
                ])
            try await client.execute(uri: "/api/v1/dataValues?indicator=T_PCT&format=csv", method: .get) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.text == "indicator,unit,period,value,comment,evidence\nT_PCT,01,2026Q1,42.5,quý 1,\n")
            }
            // A correction waits for approval beside the approved value, which stays public.
            _ = try await Self.post(
                client, "/api/v1/dataValues", #"{"indicator":"T_PCT","unit":"01","period":"2026Q1","value":43}"#,
                as: reporter)
            let detail = try await client.execute(uri: path, method: .get, headers: head.headers) { response in
                try JSONDecoder().decode(DetailBody.self, from: Data(buffer: response.body))
            }
            #expect(detail.value.value == 42.5 && detail.value.status == "approved")
            #expect(detail.value.pending?.value == 43 && detail.value.pending?.enteredBy == reporter.userId)
            #expect(detail.history.isEmpty)
            let published = try await client.json(SetBody.self, "/api/v1/dataValues?indicator=T_PCT&period=2026Q1")
            #expect(published.dataValues.map(\.value) == ["42.5"])
            // Approved, the correction replaces the value, which goes to history.
            let corrected = try await Self.post(client, path + "/approve", "", as: head)
            let correctedBody = try JSONDecoder().decode(ValueBody.self, from: Data(buffer: corrected.body))
            #expect(correctedBody.value == 43 && correctedBody.status == "approved" && correctedBody.pending == nil)
            let final = try await client.execute(uri: path, method: .get, headers: head.headers) { response in
                try JSONDecoder().decode(DetailBody.self, from: Data(buffer: response.body))
            }
            #expect(final.history.map(\.value) == [42.5])
            let republished = try await client.json(SetBody.self, "/api/v1/dataValues?indicator=T_PCT&period=2026Q1")
            #expect(republished.dataValues.map(\.value) == ["43"])
        }
    }

    @Test func badValuesAreRefusedNamingTheField() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let cases: [(String, String, String)] = [
                (
                    #"{"indicator":"T_PCT","unit":"01","period":"2026Q1","value":"140"}"#, "value",
                    "a percentage is between 0 and 100"
                ),
                (
                    #"{"indicator":"T_PCT","unit":"01","period":"2026Q5","value":"40"}"#, "period",
                    "a quarter is Q1 to Q4"
                ),
                (
                    #"{"indicator":"T_PCT","unit":"01","period":"202603","value":"40"}"#, "period",
                    "T_PCT is reported quarterly; 202603 is a month"
                ),
                (
                    #"{"indicator":"T_PCT","unit":"01","period":"2026Q1","value":"40","evidence":"see file"}"#,
                    "evidence", "evidence is an http(s) link or sha256: followed by 64 hexadecimal digits"
                ),
            ]
            for (body, field, reason) in cases {
                let response = try await Self.post(client, "/api/v1/dataValues", body, as: reporter)
                #expect(response.status == .unprocessableContent, "\(body)")
                let problem = try response.problem()
                #expect(problem.errors?.map(\.field) == [field])
                #expect(problem.errors?.map(\.reason) == [reason])
            }
        }
    }

    /// An allowed write's decision is recorded once, in the write's own transaction; a write that
    /// the checks then refuse keeps its recorded decision, and a denial is recorded at once.
    @Test func everyWriteDecisionIsAuditedOnceWhetherTheWriteHappensOrNot() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            func decisions() async throws -> [AccountsAPITests.AuditBody] {
                try await client.json(
                    AccountsAPITests.Items<AccountsAPITests.AuditBody>.self, "/api/v1/audit?limit=500",
                    headers: admin.headers
                ).items.filter { $0.action == "approve_value" || $0.action == "enter_value" }
            }
            let before = try await decisions().count
            let good = #"{"dataValues":[{"dataElement":"T_BB","orgUnit":"00004","period":"2025","value":"10"}]}"#
            #expect(try await Self.post(client, "/api/v1/dataValueSets?approve=true", good, as: admin).status == .ok)
            var after = try await decisions()
            #expect(after.count == before + 1)
            #expect(after.first?.action == "approve_value" && after.first?.targetUnit == "00004")
            #expect(after.first?.allowed == true)

            let refused = #"{"dataValues":[{"dataElement":"T_BB","orgUnit":"00008","period":"2025","value":"many"}]}"#
            let answer = try await Self.post(client, "/api/v1/dataValueSets?approve=true", refused, as: admin)
            #expect(answer.status == .unprocessableContent)
            after = try await decisions()
            #expect(after.count == before + 2)
            #expect(after.first?.targetUnit == "00008" && after.first?.allowed == true)

            let reporter = try await client.signIn("reporter.badinh@demo.mandate.vn")
            let foreign = #"{"dataValues":[{"dataElement":"T_BB","orgUnit":"00008","period":"2025","value":"3"}]}"#
            #expect(try await Self.post(client, "/api/v1/dataValueSets", foreign, as: reporter).status == .forbidden)
            after = try await decisions()
            #expect(after.count == before + 3)
            #expect(after.first?.targetUnit == "00008" && after.first?.allowed == false)
        }
    }

    @Test func aSetIsImportedWholeOrNotAtAllAndTwiceChangesNothing() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let bad = #"""
                {"dataValues":[{"dataElement":"T_BB","orgUnit":"00004","period":"2025","value":"10"},
                {"dataElement":"T_BB","orgUnit":"00008","period":"2025","value":"many"},
                {"dataElement":"NOPE","orgUnit":"00008","period":"2025","value":"1"}]}
                """#
            let refused = try await Self.post(client, "/api/v1/dataValueSets?approve=true", bad, as: admin)
            #expect(refused.status == .unprocessableContent)
            let errors = try refused.problem().errors ?? []
            #expect(errors.map(\.field) == ["dataValues[1].value", "dataValues[2].dataElement"])
            #expect(errors.map(\.reason) == ["\"many\" is not a number", "no indicator has code \"NOPE\""])
            let csvBad = "indicator,unit,period,value,comment\nT_BB,00004,2025,10,\nT_BB,00008,2025X,5,\n"
            let refusedCSV = try await Self.post(
                client, "/api/v1/dataValueSets?approve=true", csvBad, as: admin, contentType: "text/csv")
            #expect(refusedCSV.status == .unprocessableContent)
            let csvErrors = try refusedCSV.problem().errors ?? []
            #expect(csvErrors.map(\.line) == [3] && csvErrors.map(\.field) == ["period"])
            let none = try await client.json(SetBody.self, "/api/v1/dataValues?indicator=T_BB")
            #expect(none.dataValues.isEmpty)

            let good =
                "indicator,unit,period,value,comment\nT_BB,00004,2025,10,\nT_BB,00008,2025,5,\nT_BB,25747,2025,20,\n"
            for expected in [
                SummaryBody(created: 3, updated: 0, unchanged: 0), SummaryBody(created: 0, updated: 0, unchanged: 3),
            ] {
                let response = try await Self.post(
                    client, "/api/v1/dataValueSets?approve=true", good, as: admin, contentType: "text/csv")
                #expect(response.status == .ok)
                #expect(try JSONDecoder().decode(SummaryBody.self, from: Data(buffer: response.body)) == expected)
            }
            // An export of the values, with a comment and evidence, imports again unchanged. A
            // comment a spreadsheet would run as a formula is exported behind an apostrophe
            // (CSV injection), which the import takes off again.
            let noted =
                "indicator,unit,period,value,comment,evidence\nT_BB,00004,2025,10,\"đã xác minh, đủ\",https://example.vn/a.pdf\n"
                + "T_BB,00008,2025,5,\"=HYPERLINK(\"\"https://evil.example\"\")\",\n"
            let notedResponse = try await Self.post(
                client, "/api/v1/dataValueSets?approve=true", noted, as: admin, contentType: "text/csv")
            #expect(try JSONDecoder().decode(SummaryBody.self, from: Data(buffer: notedResponse.body)).updated == 2)
            let exported = try await client.execute(uri: "/api/v1/dataValues?indicator=T_BB&format=csv", method: .get) {
                $0.text
            }
            #expect(exported.contains("T_BB,00004,2025,10,\"đã xác minh, đủ\",https://example.vn/a.pdf\n"))
            #expect(exported.contains("T_BB,00008,2025,5,\"'=HYPERLINK(\"\"https://evil.example\"\")\",\n"))
            let json = try await client.execute(uri: "/api/v1/dataValues?indicator=T_BB", method: .get) { $0.text }
            for (body, type) in [(exported, "text/csv"), (json, "application/json")] {
                let response = try await Self.post(
                    client, "/api/v1/dataValueSets?approve=true", body, as: admin, contentType: type)
                #expect(
                    try JSONDecoder().decode(SummaryBody.self, from: Data(buffer: response.body))
                        == SummaryBody(created: 0, updated: 0, unchanged: 3), "\(type)")
            }
            // The communes' values are in their provinces' and the nation's roll-ups at once.
            let hanoi = try await client.json(RollupBody.self, "/api/v1/indicators/T_BB/rollup?period=2025&unit=01")
            #expect(hanoi.value == 15 && hanoi.count == 2 && hanoi.method == "sum")
            let nation = try await client.json(RollupBody.self, "/api/v1/indicators/T_BB/rollup?period=2025")
            #expect(nation.unit == "BCD" && nation.value == 35 && nation.count == 3)
            let reporter = try await client.signIn("reporter.badinh@demo.mandate.vn")
            let foreign = try await Self.post(
                client, "/api/v1/dataValueSets", good, as: reporter, contentType: "text/csv")
            #expect(foreign.status == .forbidden)
            try await client.execute(uri: "/api/v1/indicators/T_BB/rollup?period=2025Q7", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect((try? response.problem())?.errors?.first?.field == "period")
            }
        }
    }

    @Test func lateAndMissingReportsAreCountedPerUnit() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let reporter = try await client.signIn("reporter.badinh@demo.mandate.vn")
            let entered = try await Self.post(
                client, "/api/v1/dataValues", #"{"indicator":"T_BB","unit":"00004","period":"2024","value":3}"#,
                as: reporter)
            #expect(try JSONDecoder().decode(ValueBody.self, from: Data(buffer: entered.body)).late)
            let badinh = try await client.json(TimelinessBody.self, "/api/v1/units/00004/timeliness?year=2024")
            #expect(badinh.indicators["T_BB"] == .init(onTime: 0, late: 1, missing: 0, notDue: 0))
            // The demo's illustrative broadband and digital-skills values for Hà Nội's communes
            // arrived on time.
            #expect(badinh.indicators["HT_BANGRONG"] == .init(onTime: 1, late: 0, missing: 0, notDue: 0))
            #expect(badinh.indicators["NL_KYNANGSO_XA"] == .init(onTime: 1, late: 0, missing: 0, notDue: 0))
            #expect(badinh.summary == .init(onTime: 2, late: 1, missing: 0, notDue: 0))
            let elsewhere = try await client.json(TimelinessBody.self, "/api/v1/units/25747/timeliness?year=2024")
            #expect(elsewhere.summary == .init(onTime: 0, late: 0, missing: 3, notDue: 0))
        }
    }

    struct ExportBody: Decodable {
        struct Item: Decodable {
            let dataElement: String
            let orgUnit: String
            let value: String
            let comment: String?
            let illustrative: Bool?
        }
        let dataValues: [Item]
    }
    struct ListBody: Decodable {
        let items: [IndicatorBody]
    }

    @Test func theDemoHoldsTheProgrammesIndicatorsWithIllustrativeValuesLabelled() async throws {
        try await withApp { client in
            let list = try await client.json(ListBody.self, "/api/v1/indicators")
            let codes = Set(list.items.map(\.code))
            #expect(
                codes.isSuperset(of: [
                    "R57_GDP", "R57_BUDGET_ST", "DVC_TT", "HT_BANGRONG", "DL_CSDLQG", "NL_KYSU", "NS_GIAINGAN",
                    "DTI_CQS", "DTI_KTS", "DTI_XHS",
                ]))
            #expect(list.items.first { $0.code == "R57_GDP" }?.illustrative == false)
            #expect(list.items.first { $0.code == "DVC_TT" }?.illustrative == true)
            let gdp = try await client.json(ExportBody.self, "/api/v1/dataValues?indicator=R57_GDP&period=2025")
            #expect(gdp.dataValues.map(\.value) == ["16.4"] && gdp.dataValues.first?.illustrative == nil)
            let dti = try await client.json(ExportBody.self, "/api/v1/dataValues?indicator=DTI_CQS&period=2025")
            // Every province and ministry, each value labelled illustrative in the data and the API.
            #expect(dti.dataValues.count == 34 + 17)
            #expect(
                dti.dataValues.allSatisfy { $0.illustrative == true && $0.comment == "Số liệu minh họa / illustrative" }
            )
            let broadband = try await client.json(
                RollupBody.self, "/api/v1/indicators/HT_BANGRONG/rollup?period=2025&unit=01")
            #expect(broadband.method == "mean" && broadband.count > 100)
            #expect((broadband.value ?? -1) > 0 && (broadband.value ?? 2) < 1)
            let disbursed = try await client.json(
                RollupBody.self, "/api/v1/indicators/NS_GIAINGAN/rollup?period=2025Q4")
            #expect(disbursed.count == 34 + 17 && disbursed.value != nil)
        }
    }

    struct SeriesBody: Decodable {
        struct Point: Decodable, Equatable {
            let period: String
            let value: Double
            let rebasedFrom: [String]
        }
        let predecessors: [String]
        let points: [Point]
    }

    @Test func valuesOfFormerProvincesRunOnInTheirSuccessorsSeries() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            // Tuyên Quang (08) took over Hà Giang (pre2025-02) and the former Tuyên Quang (pre2025-08).
            let file = """
                indicator,unit,period,value,comment
                T_BB,pre2025-02,2023,10,
                T_BB,pre2025-08,2023,30,
                T_BB,pre2025-02,2024,12,
                T_BB,pre2025-08,2024,28,
                T_BB,08,2025,45,

                """
            let imported = try await Self.post(
                client, "/api/v1/dataValueSets?approve=true", file, as: admin, contentType: "text/csv")
            #expect(imported.status == .ok)
            let series = try await client.json(SeriesBody.self, "/api/v1/indicators/T_BB/series?unit=08")
            #expect(series.predecessors == ["pre2025-02", "pre2025-08"])
            #expect(
                series.points == [
                    .init(period: "2023", value: 40, rebasedFrom: ["pre2025-02", "pre2025-08"]),
                    .init(period: "2024", value: 40, rebasedFrom: ["pre2025-02", "pre2025-08"]),
                    .init(period: "2025", value: 45, rebasedFrom: []),
                ])
            // Today's units cover the former ones' ground: the nation's 2024 total counts no former
            // province (none of today's reported 2024 here), and a former unit reports no period
            // that begins after it ceased.
            let nation = try await client.json(RollupBody.self, "/api/v1/indicators/T_BB/rollup?period=2024")
            #expect(nation.count == 0)
            let late = try await Self.post(
                client, "/api/v1/dataValueSets?approve=true",
                "indicator,unit,period,value\nT_BB,pre2025-02,2026,5\nT_BB,pre2025-02,2025,5\n", as: admin,
                contentType: "text/csv")
            #expect(late.status == .unprocessableContent)
            let errors = try late.problem().errors ?? []
            #expect(errors.map(\.line) == [2] && errors.map(\.field) == ["period"])
            #expect(
                errors.first?.reason
                    == "pre2025-02 ceased on 2025-07-01; 2026 is reported under the unit that took it over")
        }
    }

    /// A public read answers the same to everyone, so the caller's session is not looked up for
    /// it: with the sessions table gone from under the server, a signed-in read of a roll-up
    /// still answers, while a request that needs the identity fails.
    @Test func aPublicReadDoesNotLookUpTheSession() async throws {
        try await withAppOnFile { client, arguments in
            guard case .sqliteFile(let path) = arguments.database else { return }
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let rollup = "/api/v1/indicators/HT_BANGRONG/rollup?period=2025&unit=01"
            _ = try await client.json(RollupBody.self, rollup, headers: admin.headers)
            let other = try await SQLiteStoreDatabase.open(path: path, readers: 0, logger: Logger(label: "test"))
            try await other.transaction { db in
                try await db.raw("ALTER TABLE sessions RENAME TO sessions_moved").run()
            }
            await other.close()
            let answer = try await client.json(RollupBody.self, rollup, headers: admin.headers)
            #expect(answer.unit == "01")
            try await client.execute(uri: "/api/v1/session", method: .get, headers: admin.headers) { response in
                #expect(response.status == .internalServerError)
            }
        }
    }
}

extension IndicatorsAPITests {
    struct RulesBody: Decodable {
        struct Rule: Decodable {
            let code: String
            let kind: String
        }
        let items: [Rule]
    }

    @Test func committeeRolesDefineRulesAndARequiredValueMayBeStoredBefore() async throws {
        try await withApp { client in
            let analyst = try await Self.define(client)
            let count = #"""
                {"code":"T_CNT","nameVi":"Số điểm","nameEn":"Points","unitOfMeasure":"điểm","valueType":"number",
                 "direction":"higher","frequency":"yearly","appliesTo":["commune"],"rollup":{"method":"sum"}}
                """#
            #expect(try await Self.post(client, "/api/v1/indicators", count, as: analyst).status == .created)
            let required = #"{"code":"T_BB_REQ","kind":"required","indicator":"T_BB","message":"T_BB is required"}"#
            let reporter = try await client.signIn("reporter.badinh@demo.mandate.vn")
            let refused = try await Self.post(
                client, "/api/v1/validationRules/T_BB_REQ", required, as: reporter, method: .put)
            #expect(refused.status == .forbidden)
            let bad = #"{"code":"T_BAD","kind":"compare","indicator":"T_BB","other":"NOPE","message":""}"#
            let invalid = try await Self.post(client, "/api/v1/validationRules/T_BAD", bad, as: analyst, method: .put)
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.problem().errors?.map(\.field) == ["message", "comparison", "other"])
            let created = try await Self.post(
                client, "/api/v1/validationRules/T_BB_REQ", required, as: analyst, method: .put)
            #expect(created.status == .created)
            let listed = try await client.json(RulesBody.self, "/api/v1/validationRules")
            #expect(listed.items.contains { $0.code == "T_BB_REQ" && $0.kind == "required" })

            // A file for Phường Ba Đình's 2025 without T_BB is refused with the rule's message ...
            let without = "indicator,unit,period,value\nT_CNT,00004,2025,3\n"
            let missing = try await Self.post(
                client, "/api/v1/dataValueSets", without, as: reporter, contentType: "text/csv")
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problem().errors?.first?.reason == "T_BB is required (rule T_BB_REQ)")
            // ... but passes once T_BB is stored for that unit and period.
            let with = "indicator,unit,period,value\nT_BB,00004,2025,12\n"
            #expect(
                try await Self.post(client, "/api/v1/dataValueSets", with, as: reporter, contentType: "text/csv")
                    .status == .ok)
            #expect(
                try await Self.post(client, "/api/v1/dataValueSets", without, as: reporter, contentType: "text/csv")
                    .status == .ok)
            let removed = try await Self.post(
                client, "/api/v1/validationRules/T_BB_REQ", "", as: analyst, method: .delete)
            #expect(removed.status == .noContent)
            let gone = try await Self.post(
                client, "/api/v1/validationRules/T_BB_REQ", "", as: analyst, method: .delete)
            #expect(gone.status == .notFound)
        }
    }
}

extension IndicatorsAPITests {
    @Test func aSliceSaysWhenItGoesOnAndAWrongCodeOrPeriodIsNamed() async throws {
        try await withApp { client in
            _ = try await Self.define(client)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let file = "indicator,unit,period,value\nT_BB,00004,2025,1\nT_BB,00008,2025,2\nT_BB,25747,2025,3\n"
            _ = try await Self.post(
                client, "/api/v1/dataValueSets?approve=true", file, as: admin, contentType: "text/csv")
            var next: String? = "/api/v1/dataValues?indicator=T_BB&limit=2&format=csv"
            var lines: [String] = []
            while let uri = next {
                next = try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    lines += response.text.split(separator: "\n").dropFirst().map(String.init)
                    let link = response.headers[HTTPField.Name("Link")!]
                    return link.flatMap { $0.split(separator: ">").first.map { String($0.dropFirst()) } }
                }
            }
            #expect(lines == ["T_BB,00004,2025,1,,", "T_BB,00008,2025,2,,", "T_BB,25747,2025,3,,"])
            // What does not exist is 404, what cannot be is 400; both name the field.
            for (uri, field, status) in [
                ("/api/v1/dataValues?indicator=T_NOPE", "indicator", HTTPResponse.Status.notFound),
                ("/api/v1/dataValues?unit=99999", "unit", .notFound),
                ("/api/v1/indicators/T_PCT/rollup?period=2026", "period", .badRequest),
                ("/api/v1/dataValues/T_BB/00004/2025Q9", "period", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .get, headers: admin.headers) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect((try? response.problem())?.errors?.first?.field == field, "\(uri)")
                }
            }
        }
    }
}
