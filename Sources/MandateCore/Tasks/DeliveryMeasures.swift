/// A unit's delivery record, computed from its tasks: what the ranking engine can use as
/// indicator values (source `{"delivery": name}`).
public struct DeliveryMeasures: Codable, Sendable, Hashable {
    public var unit: String
    /// Tasks the unit leads (adopted, not cancelled).
    public var tasksLed: Int
    /// Of those, the ones due by now or accepted.
    public var tasksDue: Int
    public var acceptedOnTime: Int
    /// Accepted on time ÷ due; nil with nothing due.
    public var onTimeRate: Double?
    public var overdueCount: Int
    /// Mean days late over the late tasks (accepted late, or overdue now); 0 when none of the due
    /// tasks is late; nil with nothing due.
    public var meanDaysLate: Double?
    /// Months with a submitted report ÷ months that expected one, over the tasks the unit leads or
    /// coordinates; nil when none expected one yet.
    public var reportingTimeliness: Double?

    /// The measures by the names ranking methods use.
    public static let names = ["on_time_rate", "overdue_count", "mean_days_late", "reporting_timeliness"]

    public func value(named name: String) -> Double? {
        switch name {
        case "on_time_rate": onTimeRate
        case "overdue_count": Double(overdueCount)
        case "mean_days_late": meanDaysLate
        case "reporting_timeliness": reportingTimeliness
        default: nil
        }
    }
}

/// What the delivery measures need of one task.
public struct DeliveryFacts: Sendable, Hashable {
    public var task: ProgrammeTask
    public var progress: TaskProgress
    /// For each reporting unit, the months (`year * 12 + month - 1`) in which it submitted a report.
    public var submittedMonths: [String: Set<Int>]

    public init(task: ProgrammeTask, progress: TaskProgress, submittedMonths: [String: Set<Int>]) {
        self.task = task
        self.progress = progress
        self.submittedMonths = submittedMonths
    }
}

extension DeliveryMeasures {
    /// The month index `year * 12 + month - 1` of a day.
    public static func monthIndex(_ day: CivilDate) -> Int {
        day.year * 12 + day.month - 1
    }

    /// Every unit's measures on `today`, for the units that lead or coordinate a task.
    ///
    /// Reporting timeliness: a task expects one submitted report a month from each of its reporting
    /// units, for every whole month from the month it starts until the month before `today`, or
    /// until the month its final report was accepted.
    public static func compute(_ facts: [DeliveryFacts], today: CivilDate) -> [String: DeliveryMeasures] {
        struct Tally {
            var led = 0, due = 0, onTime = 0, overdue = 0, late = 0, lateDays = 0, expected = 0, covered = 0
        }
        var tallies: [String: Tally] = [:]
        let thisMonth = monthIndex(today)
        for fact in facts {
            let task = fact.task
            if task.cancelledAt != nil || task.isPendingProposal { continue }
            let status = TaskStatus.of(task, progress: fact.progress, today: today)
            var lead = tallies[task.leadUnit] ?? Tally()
            lead.led += 1
            let due = status == .acceptedOnTime || status == .acceptedLate || today > fact.progress.effectiveDeadline
            if due {
                lead.due += 1
                if status == .acceptedOnTime { lead.onTime += 1 }
                let daysLate = fact.progress.daysLate(today: today)
                if daysLate > 0 && status != .submitted {
                    lead.late += 1
                    lead.lateDays += daysLate
                }
            }
            if status == .overdue { lead.overdue += 1 }
            tallies[task.leadUnit] = lead
            // Months that expected a report: from the start month up to the last whole month.
            let first = monthIndex(task.start)
            var last = thisMonth - 1
            if let accepted = fact.progress.acceptedSubmittedOn { last = min(last, monthIndex(accepted)) }
            guard last >= first else {
                for unit in task.coordinatingUnits where tallies[unit] == nil { tallies[unit] = Tally() }
                continue
            }
            for unit in task.reportingUnits {
                let months = fact.submittedMonths[unit] ?? []
                var tally = tallies[unit] ?? Tally()
                tally.expected += last - first + 1
                tally.covered += months.count(where: { $0 >= first && $0 <= last })
                tallies[unit] = tally
            }
        }
        var result: [String: DeliveryMeasures] = [:]
        for (unit, tally) in tallies {
            result[unit] = DeliveryMeasures(
                unit: unit, tasksLed: tally.led, tasksDue: tally.due, acceptedOnTime: tally.onTime,
                onTimeRate: tally.due > 0 ? Double(tally.onTime) / Double(tally.due) : nil,
                overdueCount: tally.overdue,
                meanDaysLate: tally.due == 0 ? nil : tally.late == 0 ? 0 : Double(tally.lateDays) / Double(tally.late),
                reportingTimeliness: tally.expected > 0 ? Double(tally.covered) / Double(tally.expected) : nil)
        }
        return result
    }
}
