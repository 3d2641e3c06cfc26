import MandateCore
import Testing

@Suite struct PeriodTests {
    @Test(arguments: [
        ("2026", Frequency.yearly, 1, "2026-01-01", "2026-12-31"),
        ("2026S1", .semiannual, 1, "2026-01-01", "2026-06-30"),
        ("2026S2", .semiannual, 2, "2026-07-01", "2026-12-31"),
        ("2026Q1", .quarterly, 1, "2026-01-01", "2026-03-31"),
        ("2024Q4", .quarterly, 4, "2024-10-01", "2024-12-31"),
        ("202402", .monthly, 2, "2024-02-01", "2024-02-29"),
        ("202502", .monthly, 2, "2025-02-01", "2025-02-28"),
        ("202603", .monthly, 3, "2026-03-01", "2026-03-31"),
        ("210012", .monthly, 12, "2100-12-01", "2100-12-31"),
    ])
    func parsesDHIS2StyleIds(id: String, frequency: Frequency, index: Int, start: String, end: String) throws {
        let period = try Period(id)
        #expect(period.frequency == frequency)
        #expect(period.index == index)
        #expect(period.id == id)
        #expect(period.start.description == start)
        #expect(period.end.description == end)
    }

    @Test(arguments: [
        ("", "the period is empty"),
        ("2026Q5", "a quarter is Q1 to Q4"),
        ("2026Q0", "a quarter is Q1 to Q4"),
        ("2026S3", "a semester is S1 or S2"),
        ("202613", "a month is 01 to 12"),
        ("202600", "a month is 01 to 12"),
        ("2026-03", "is not a period"),
        ("2026W1", "is not a period"),
        ("26Q1", "does not start with a four-digit year"),
        ("2026q1", "is not a period"),
        ("1850", "the year 1850 is outside 1900–2100"),
        ("2026QX", "has no number after Q"),
        (" 2026", "does not start with a four-digit year"),
    ])
    func refusesAnythingElseWithAReason(id: String, reason: String) {
        let error = #expect(throws: Period.Invalid.self) { try Period(id) }
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
    }

    @Test func monthsLieInTheirQuarterSemesterAndYear() throws {
        let march = try Period("202603")
        #expect(march.parents.map(\.id) == ["2026Q1", "2026S1", "2026"])
        #expect(try Period("202608").parents.map(\.id) == ["2026Q3", "2026S2", "2026"])
        #expect(try Period("2026Q3").parents.map(\.id) == ["2026S2", "2026"])
        #expect(try Period("2026S2").parents.map(\.id) == ["2026"])
        #expect(try Period("2026").parents.isEmpty)
        #expect(march.isWithin(try Period("2026Q1")))
        #expect(!march.isWithin(try Period("2026Q2")))
        #expect(Period.all(of: .quarterly, in: 2025).map(\.id) == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"])
    }

    @Test func aReportIsDueTheGivenNumberOfDaysAfterThePeriodEnds() throws {
        #expect(try Period("202603").dueDate(afterDays: 30).description == "2026-04-30")
        #expect(try Period("202601").dueDate(afterDays: 30).description == "2026-03-02")
        #expect(try Period("2024Q4").dueDate(afterDays: 15).description == "2025-01-15")
        #expect(try Period("2025").dueDate(afterDays: 90).description == "2026-03-31")
        #expect(try Period("2026S1").dueDate(afterDays: 0).description == "2026-06-30")
    }

    @Test func timelinessComparesTheFirstReportWithTheDueDate() throws {
        let march = try Period("202603")
        let due = try #require(CivilDate(iso: "2026-04-30"))
        let after = due.adding(days: 1)
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: due, today: after) == .onTime)
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: after, today: after) == .late)
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: nil, today: after) == .missing)
        #expect(Timeliness.of(period: march, dueDays: 30, reportedOn: nil, today: due) == .notDue)
        var summary = TimelinessSummary()
        for status in [Timeliness.onTime, .onTime, .late, .missing, .notDue] { summary.add(status) }
        #expect(summary.due == 4 && summary.onTimeRate == 50)
    }

    @Test func civilDatesRoundTripThroughDayNumbers() throws {
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)?.dayNumber == 11_017)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        let leap = try #require(CivilDate(iso: "2024-02-28"))
        #expect(leap.adding(days: 1).description == "2024-02-29")
        #expect(leap.adding(days: 2).description == "2024-03-01")
        #expect(CivilDate(iso: "2026-03-31T09:30:00.000Z")?.description == "2026-03-31")
    }
}
