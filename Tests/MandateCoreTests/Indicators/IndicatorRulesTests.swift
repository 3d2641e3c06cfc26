import Foundation
import MandateCore
import Testing

@Suite struct IndicatorRulesTests {
    static let online = Indicator(
        code: "DVC_TT", nameVi: "Tỷ lệ dịch vụ công trực tuyến toàn trình", nameEn: "End-to-end online services",
        unitOfMeasure: "%", valueType: .percent, frequency: .quarterly, appliesTo: [.province, .ministry],
        rollup: .mean)
    static let services = Indicator(
        code: "DVC_TS", nameVi: "Số dịch vụ công", nameEn: "Public services", unitOfMeasure: "dịch vụ",
        valueType: .number, frequency: .quarterly, appliesTo: [.province, .ministry], rollup: .sum)
    static let endToEnd = Indicator(
        code: "DVC_TT_SO", nameVi: "Số dịch vụ công trực tuyến toàn trình", nameEn: "End-to-end online services",
        unitOfMeasure: "dịch vụ", valueType: .number, frequency: .quarterly, appliesTo: [.province, .ministry],
        rollup: .sum)
    static let rules = [
        ValidationRule.range("R1", "DVC_TS", minimum: 0, maximum: 5000, message: "0 to 5,000 public services"),
        ValidationRule.compare(
            "R2", "DVC_TT_SO", .lessOrEqual, "DVC_TS", message: "end-to-end online services ≤ all public services"),
        ValidationRule.required("R3", "DVC_TS", message: "the number of public services is required"),
    ]
    static let context = ValueCheckContext(
        indicators: Dictionary(uniqueKeysWithValues: [online, services, endToEnd].map { ($0.code, $0) }),
        unitKinds: ["01": .province, "00004": .commune, "BKHCN": .ministry], rules: rules)

    static func input(
        _ indicator: String, _ unit: String, _ period: String, _ value: String, line: Int
    )
        -> DataValueInput
    {
        DataValueInput(
            key: DataValueKey(indicator: indicator, unit: unit, period: period), value: value, origin: .line(line))
    }

    @Test func aDefinitionNamesEachBadField() {
        var bad = Self.online
        bad.code = "has space"
        bad.nameEn = " "
        bad.appliesTo = []
        bad.rollup = RollupRule(.weightedMean)
        bad.targets = [IndicatorTarget(year: 2030, value: 120), IndicatorTarget(year: 2030, value: 90)]
        let fields = bad.problems().map { $0.column ?? "" }
        #expect(fields == ["code", "nameEn", "appliesTo", "rollup.denominator", "targets", "targets"])
        #expect(bad.problems().first { $0.column == "targets" }?.reason.contains("between 0 and 100") == true)
        #expect(Self.online.problems().isEmpty)
        var yesno = Self.services
        yesno.valueType = .yesno
        #expect(
            yesno.problems().map(\.reason) == ["a yes/no value rolls up only by mean (the share of yes) or not at all"])
    }

    @Test func valuesAreCheckedFieldByFieldWithLineAndColumn() {
        let inputs = [
            Self.input("DVC_TT", "01", "2026Q1", "101", line: 2),
            Self.input("NOPE", "01", "2026Q1", "1", line: 3),
            Self.input("DVC_TT", "00004", "2026Q1", "10", line: 4),
            Self.input("DVC_TT", "01", "202603", "10", line: 5),
            Self.input("DVC_TT", "01", "2026Q9", "ten", line: 6),
            Self.input("DVC_TT", "01", "2026Q2", "50", line: 7),
            Self.input("DVC_TT", "01", "2026Q2", "51", line: 8),
        ]
        let context = ValueCheckContext(
            indicators: Self.context.indicators, unitKinds: Self.context.unitKinds, rules: [])
        let failure = #expect(throws: ValidationFailure.self) {
            try ValueCheck.check(inputs, in: context, submission: true)
        }
        #expect(
            failure?.errors == [
                RowError(line: 2, column: "value", reason: "a percentage is between 0 and 100"),
                RowError(line: 3, column: "indicator", reason: "no indicator has code \"NOPE\""),
                RowError(line: 4, column: "unit", reason: "DVC_TT is not reported by a commune"),
                RowError(line: 5, column: "period", reason: "DVC_TT is reported quarterly; 202603 is a month"),
                RowError(line: 6, column: "period", reason: "a quarter is Q1 to Q4"),
                RowError(line: 6, column: "value", reason: "\"ten\" is not a number"),
                RowError(line: 8, column: nil, reason: "DVC_TT/01/2026Q2 appears twice; first on line 7"),
            ])
    }

    /// A value for a period that has not begun in Hà Nội is refused (issue 20, point 2): the
    /// quarter that begins tomorrow is refused today and taken from its first day.
    @Test func aPeriodThatHasNotBegunIsRefused() throws {
        func check(_ period: String, at instant: String) -> [RowError] {
            var context = Self.context
            context.rules = []
            context.today = CivilDate.inHanoi(atUTC: instant)
            do {
                _ = try ValueCheck.check(
                    [Self.input("DVC_TT", "01", period, "50", line: 2)], in: context, submission: false)
                return []
            } catch { return error.errors }
        }
        #expect(
            check("2027Q1", at: "2026-12-31T16:59:59Z") == [
                RowError(line: 2, column: "period", reason: "2027Q1 has not begun: a value is taken from 2027-01-01")
            ])
        // 17:00 UTC on 31 December is midnight in Hà Nội: 2027 has begun there.
        #expect(check("2027Q1", at: "2026-12-31T17:00:00Z").isEmpty)
        #expect(check("2026Q4", at: "2026-12-07T02:00:00Z").isEmpty)
        #expect(check("2028Q1", at: "2026-12-31T17:00:00Z").count == 1)
        #expect(CivilDate.inHanoi(atUTC: "2026-02-28T23:30:00.000Z") == CivilDate(year: 2026, month: 3, day: 1))
        #expect(CivilDate.inHanoi(atUTC: "2026-03-01") == CivilDate(year: 2026, month: 3, day: 1))
    }

    @Test func aComparisonRefusesTheValueWithTheRulesMessage() throws {
        var context = Self.context
        context.stored = [DataValueKey(indicator: "DVC_TS", unit: "01", period: "2026Q1"): 300]
        let refused = [Self.input("DVC_TT_SO", "01", "2026Q1", "301", line: 2)]
        let failure = #expect(throws: ValidationFailure.self) {
            try ValueCheck.check(refused, in: context, submission: false)
        }
        #expect(
            failure?.errors == [
                RowError(
                    line: 2, column: "value", reason: "end-to-end online services ≤ all public services (rule R2)")
            ])
        let accepted = try ValueCheck.check(
            [Self.input("DVC_TT_SO", "01", "2026Q1", "300", line: 2)], in: context, submission: false)
        #expect(accepted.map(\.value) == [300])
        // Lowering the other side below a stored value is refused too, blaming the value written.
        context.stored[DataValueKey(indicator: "DVC_TT_SO", unit: "01", period: "2026Q1")] = 250
        #expect(throws: ValidationFailure.self) {
            try ValueCheck.check([Self.input("DVC_TS", "01", "2026Q1", "200", line: 9)], in: context, submission: false)
        }
    }

    @Test func rangesAndRequiredIndicatorsUseTheirMessages() {
        let violations = RuleCheck.violations(
            of: Self.rules, values: ["DVC_TS": 6000], changed: ["DVC_TS"], submission: ["DVC_TS"])
        #expect(violations.map(\.message) == ["0 to 5,000 public services"])
        let missing = RuleCheck.violations(
            of: Self.rules, values: ["DVC_TT_SO": 10], changed: ["DVC_TT_SO"], submission: ["DVC_TS", "DVC_TT_SO"])
        #expect(missing.map(\.rule) == ["R3"])
        // A single value (not a whole submission) is not held to required indicators.
        #expect(RuleCheck.violations(of: Self.rules, values: ["DVC_TT_SO": 10], changed: ["DVC_TT_SO"]).isEmpty)
        // An old breach does not block an unrelated value.
        #expect(
            RuleCheck.violations(of: Self.rules, values: ["DVC_TS": 9000, "DVC_TT": 5], changed: ["DVC_TT"]).isEmpty)
    }

    @Test func aRuleNamesItsOwnBadFields() {
        let known: Set<String> = ["A", "B"]
        #expect(ValidationRule.range("R", "A", message: "m").problems(known: known).map(\.column) == ["minimum"])
        #expect(
            ValidationRule.compare("R", "A", .lessOrEqual, "A", message: "").problems(known: known).map(\.column)
                == ["message", "other"])
        #expect(
            ValidationRule.compare("R", "A", .lessOrEqual, "C", message: "m").problems(known: known).map(\.reason)
                == ["no indicator has code \"C\""])
    }

    @Test func evidenceIsALinkOrAHash() {
        let hash = String(repeating: "A", count: 64)
        #expect(Evidence.normalised(hash) == "sha256:" + hash.lowercased())
        #expect(Evidence.normalised("sha256:" + hash) == "sha256:" + hash.lowercased())
        #expect(Evidence.normalised("https://mic.gov.vn/report.pdf") == "https://mic.gov.vn/report.pdf")
        #expect(Evidence.normalised("ftp://x") == nil)
        #expect(Evidence.normalised("sha256:abc") == nil)
        #expect(Evidence.normalised("https://") == nil)
    }

    @Test func valuesReadAndWriteAsShortText() {
        #expect(ValueText.parse(" 16.4 ", as: .percent) == 16.4)
        #expect(ValueText.parse("yes", as: .yesno) == 1)
        #expect(ValueText.parse("yes", as: .number) == nil)
        #expect(ValueText.parse("nan", as: .number) == nil)
        #expect(ValueText.parse("1,5", as: .number) == nil)
        #expect(ValueText.format(12) == "12")
        #expect(ValueText.format(16.4) == "16.4")
        #expect(ValueText.format(-0.125) == "-0.125")
    }

    @Test func csvAndJSONReadIntoTheSameInputs() throws {
        let csv = try DataValueFile.csv("indicator,unit,period,value,comment\nDVC_TT,01,2026Q1,55.5,\"a, b\"\n")
        #expect(csv.map(\.key) == [DataValueKey(indicator: "DVC_TT", unit: "01", period: "2026Q1")])
        #expect(csv.first?.comment == "a, b" && csv.first?.origin == .line(2))
        let json = DataValueFile.inputs(
            .init(dataValues: [.init(dataElement: "DVC_TT", orgUnit: "01", period: "2026Q1", value: "55.5")]))
        #expect(json.map(\.key) == csv.map(\.key) && json.first?.origin == .item(0))
        #expect(json.first?.error(.unit, "x").column == "dataValues[0].orgUnit")
        let failure = #expect(throws: ValidationFailure.self) {
            try DataValueFile.csv("indicator,unit,value\nA,01,1\n")
        }
        #expect(failure?.errors == [RowError(line: 1, column: nil, reason: "missing column(s): period")])
    }

    @Test func aHeaderWithAnUnknownOrRepeatedColumnIsRefused() throws {
        let failure = #expect(throws: ValidationFailure.self) {
            try DataValueFile.csv("indicator,unit,period,value,coment,value\nA,01,2026,1,x,2\n")
        }
        #expect(failure?.errors.map(\.column) == ["coment", "value"])
        #expect(failure?.errors.first?.reason.hasPrefix("unknown column \"coment\"; the columns are") == true)
        // The open-data file's illustrative column is passed over.
        let open = try DataValueFile.csv("indicator,unit,period,value,illustrative\nA,01,2026,1,true\n")
        #expect(open.map(\.value) == ["1"])
    }

    @Test func everyBadItemOfAJSONSetIsNamedAndTheOthersAreRead() throws {
        let body = #"""
            {"dataValues":[{"dataElement":"A","orgUnit":"01","period":"2026","value":1.5,"comment":""},
            7, {"dataElement":"A","orgUnit":"01","value":true},
            {"dataElement":"B","orgUnit":["01"],"period":"2026","value":"2","evidence":null}]}
            """#
        var parts = try DataValueFile.json(Data(body.utf8))
        let inputs = try parts.all()
        #expect(inputs.map(\.value) == ["1.5"] && inputs.first?.comment == "")
        #expect(
            parts.shapeErrors.map(\.column) == [
                "dataValues[1]", "dataValues[2].period", "dataValues[2].value", "dataValues[3].orgUnit",
            ])
        #expect(
            parts.shapeErrors.map(\.reason) == [
                "an item is an object", "period is missing", "value is text or a number", "orgUnit is text",
            ])
        #expect(throws: ValidationFailure.self) { try DataValueFile.json(Data(#"[{"a":1}]"#.utf8)) }
    }
}
