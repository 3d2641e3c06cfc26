import Testing

@testable import MandateCore

/// A unit reports, and owes, the periods that begin before it ceased: the merger of 1 July 2025
/// leaves 2025Q2 and the year 2025 to a former province, and 2025Q3 on to its successor.
@Suite struct ReportingSpanTests {
    static let merger = CivilDate(year: 2025, month: 7, day: 1)

    @Test(arguments: [
        ("2024", true), ("2025", true), ("2025S1", true), ("2025S2", false), ("2025Q2", true), ("2025Q3", false),
        ("2025Q4", false), ("202506", true), ("202507", false), ("2026", false), ("2026Q1", false),
    ])
    func aFormerUnitReportsThePeriodsThatBeginBeforeItCeased(period: String, reported: Bool) throws {
        #expect(ReportingSpan.reports(try Period(period), ceased: Self.merger) == reported, "\(period)")
        // A unit that has not ceased reports every period.
        #expect(ReportingSpan.reports(try Period(period), ceased: nil))
    }

    @Test func aUnitCeasedTheEarliestDayASuccessorTookItOver() throws {
        let later = try #require(CivilDate(iso: "2025-09-01"))
        let merger = try #require(Self.merger)
        #expect(ReportingSpan.ceased(active: false, takenOver: [later, merger]) == merger)
        #expect(ReportingSpan.ceased(active: false, takenOver: []) == nil)
        #expect(ReportingSpan.ceased(active: true, takenOver: [merger]) == nil)
    }

    /// Counted at 1 March 2026, a former province owes 2025Q1 and 2025Q2 of a quarterly indicator
    /// and the year 2025 of a yearly one; nothing of 2026.
    @Test func aFormerUnitOwesNoReportAfterItCeased() throws {
        func indicator(_ code: String, _ frequency: Frequency) -> Indicator {
            Indicator(
                code: code, nameVi: code, nameEn: code, unitOfMeasure: "", valueType: .number, frequency: frequency,
                appliesTo: [.province], rollup: .sum)
        }
        let indicators = [indicator("Q", .quarterly), indicator("Y", .yearly)]
        let today = try #require(CivilDate(iso: "2026-03-01"))
        let reported = [DataValueKey(indicator: "Q", unit: "pre2025-02", period: "2025Q1"): "2025-04-10T00:00:00.000Z"]
        let year2025 = TimelinessReport.build(
            unit: "pre2025-02", kind: .province, ceased: Self.merger, year: 2025, indicators: indicators,
            firstReported: reported, today: today)
        #expect(year2025.indicators["Q"] == TimelinessSummary(onTime: 1, missing: 1))
        #expect(year2025.indicators["Y"] == TimelinessSummary(missing: 1))
        let year2026 = TimelinessReport.build(
            unit: "pre2025-02", kind: .province, ceased: Self.merger, year: 2026, indicators: indicators,
            firstReported: [:], today: today)
        #expect(year2026.summary == TimelinessSummary())
        // The same unit, had it not ceased, would owe all four quarters.
        let active = TimelinessReport.build(
            unit: "pre2025-02", kind: .province, ceased: nil, year: 2025, indicators: indicators,
            firstReported: reported, today: today)
        #expect(active.indicators["Q"] == TimelinessSummary(onTime: 1, missing: 3))
    }
}

extension TimelinessSummary {
    init(onTime: Int = 0, late: Int = 0, missing: Int = 0, notDue: Int = 0) {
        self.init()
        (self.onTime, self.late, self.missing, self.notDue) = (onTime, late, missing, notDue)
    }
}
