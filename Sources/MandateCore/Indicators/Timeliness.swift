/// Whether a report arrived by its due date.
public enum Timeliness: String, Codable, Sendable, CaseIterable {
    case onTime = "on_time"
    case late
    /// Due, and never reported.
    case missing
    /// Not reported, and not due yet.
    case notDue = "not_due"

    /// The status of one report for `period`, due `dueDays` after it, first stored on `reportedOn`.
    /// A report is on time if stored on or before the due date.
    public static func of(period: Period, dueDays: Int, reportedOn: CivilDate?, today: CivilDate) -> Timeliness {
        if let reportedOn { return of(period: period, dueDays: dueDays, reportedOn: reportedOn) }
        return today > period.dueDate(afterDays: dueDays) ? .missing : .notDue
    }

    /// A report first stored on `reportedOn`: on time up to and including the due date (UTC), late after it.
    /// What the store marks a first report with, and what the timeliness counts read.
    public static func of(period: Period, dueDays: Int, reportedOn: CivilDate) -> Timeliness {
        reportedOn <= period.dueDate(afterDays: dueDays) ? .onTime : .late
    }
}

/// How a unit reported over a span: counts by status.
public struct TimelinessSummary: Codable, Sendable, Hashable {
    public var onTime = 0
    public var late = 0
    public var missing = 0
    public var notDue = 0

    public init() {}

    public mutating func add(_ status: Timeliness) {
        switch status {
        case .onTime: onTime += 1
        case .late: late += 1
        case .missing: missing += 1
        case .notDue: notDue += 1
        }
    }

    /// Reports that were due.
    public var due: Int { onTime + late + missing }

    /// On-time reports as a share of those due, 0–100; nil when nothing was due.
    public var onTimeRate: Double? {
        due == 0 ? nil : Double(onTime) * 100 / Double(due)
    }
}

/// A unit's reporting over a year: every report due from it, judged on time, late or missing.
public struct TimelinessReport: Codable, Sendable, Hashable {
    public var unit: String
    public var year: Int
    public var summary: TimelinessSummary
    /// Per indicator, by code.
    public var indicators: [String: TimelinessSummary]

    /// Judges every period of `year` that the unit owes (`ReportingSpan.reports`: none that begins
    /// on or after the day it `ceased`) of every indicator that applies to a unit of `kind`.
    /// `firstReported` gives, per stored key, the instant its first value arrived.
    public static func build(
        unit: String, kind: UnitKind, ceased: CivilDate?, year: Int, indicators: [Indicator],
        firstReported: [DataValueKey: String], today: CivilDate
    ) -> TimelinessReport {
        var report = TimelinessReport(unit: unit, year: year, summary: TimelinessSummary(), indicators: [:])
        for indicator in indicators where indicator.appliesTo.contains(kind) {
            var summary = TimelinessSummary()
            for period in Period.all(of: indicator.frequency, in: year)
            where ReportingSpan.reports(period, ceased: ceased) {
                let key = DataValueKey(indicator: indicator.code, unit: unit, period: period.id)
                let status = Timeliness.of(
                    period: period, dueDays: indicator.dueDays,
                    reportedOn: firstReported[key].flatMap { CivilDate(iso: $0) }, today: today)
                summary.add(status)
                report.summary.add(status)
            }
            report.indicators[indicator.code] = summary
        }
        return report
    }
}
