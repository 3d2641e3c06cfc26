import MandateCore

extension TaskLoad.Generator {
    /// `count` reports of a task: progress reports spread over its window, by the lead unit and
    /// its coordinating units, then the lead's final report when the plan has one.
    mutating func reports(for plan: TaskLoad.Plan, count: Int) -> [TaskReport] {
        let task = plan.task
        guard count > 0 else { return [] }
        let progressCount = count - (plan.terminalDay == nil ? 0 : 1)
        var days: [Int] = []
        var units: [String] = []
        if let window = plan.window, progressCount > 0 {
            let span = Double(window.upperBound - window.lowerBound + 1)
            for step in 0..<progressCount {
                let centre = window.lowerBound + Int(span * (Double(step) + 0.5) / Double(progressCount))
                days.append(min(window.upperBound, max(window.lowerBound, centre + random.int(-3...3))))
                let byLead = task.coordinatingUnits.isEmpty || random.chance(0.7)
                units.append(byLead ? task.leadUnit : random.pick(task.coordinatingUnits))
            }
            days.sort()
        }
        var reports: [TaskReport] = []
        reports.reserveCapacity(count)
        let perUnit = Dictionary(grouping: units.indices, by: { units[$0] })
        for index in days.indices {
            let unit = units[index]
            let mine = perUnit[unit] ?? []
            let rank = mine.firstIndex(of: index) ?? 0
            let next = rank + 1 < mine.count ? days[mine[rank + 1]] : plan.terminalDay.map(\.dayNumber)
            let nextBySameUnit = unit == task.leadUnit ? next : (rank + 1 < mine.count ? days[mine[rank + 1]] : nil)
            let percent = min(90, 10 + 80 * (rank + 1) / (mine.count + 1))
            let day = CivilDate(dayNumber: days[index])
            reports.append(
                progressReport(
                    task, number: index + 1, unit: unit, day: day, percent: percent, nextBySameUnit: nextBySameUnit,
                    isLastLead: unit == task.leadUnit && nextBySameUnit == nil, outcome: plan.outcome))
        }
        if let submitted = plan.terminalDay {
            let state: ReportState =
                switch plan.outcome {
                case .acceptedOnTime, .acceptedLate: .accepted
                case .returned: .returned
                default: .submitted
                }
            reports.append(
                TaskReport(
                    id: "\(task.code.lowercased())-r\(count)", task: task.code, unit: task.leadUnit, percent: 100,
                    narrative: "Đã hoàn thành: \(task.deliverable). (\(TaskLoad.note))", links: [], state: state,
                    createdBy: nil, createdAt: Self.instant(submitted, hour: 4, minute: 0),
                    submittedAt: Self.instant(submitted, hour: 5, minute: 0),
                    decidedAt: plan.terminalDecided.map { Self.instant($0, hour: 9, minute: 30) },
                    decisionComment: state == .returned
                        ? "Đề nghị bổ sung số liệu minh chứng. (\(TaskLoad.note))" : nil,
                    illustrative: true))
        }
        return reports
    }

    /// A progress report below 100 %. Most are submitted and accepted; a few were returned and
    /// then followed by a later submission; the lead's latest one, when no final report follows,
    /// is accepted or still a draft, so that the task reads as in progress (or overdue).
    mutating func progressReport(
        _ task: ProgrammeTask, number: Int, unit: String, day: CivilDate, percent: Int, nextBySameUnit: Int?,
        isLastLead: Bool, outcome: TaskLoad.Outcome
    ) -> TaskReport {
        var state = ReportState.accepted
        if isLastLead && random.chance(0.35) {
            state = .draft
        } else if let next = nextBySameUnit, next >= day.dayNumber + 3, random.chance(0.06) {
            state = .returned
        } else if nextBySameUnit == nil && unit != task.leadUnit {
            // A coordinating unit's latest report: sometimes still awaiting a decision, or a draft.
            let r = random.uniform()
            state = r < 0.08 ? .submitted : r < 0.14 ? .draft : .accepted
        }
        let minute = random.int(0...59)
        let submitted = state == .draft ? nil : Self.instant(day, hour: 3, minute: minute)
        var decided: String?
        switch state {
        case .returned: decided = Self.instant(day.adding(days: 1), hour: 8, minute: minute)
        case .accepted: decided = Self.instant(min(day.adding(days: random.int(0...6)), last), hour: 8, minute: minute)
        default: decided = nil
        }
        return TaskReport(
            id: "\(task.code.lowercased())-r\(number)", task: task.code, unit: unit, percent: percent,
            narrative: "Đang triển khai, đạt khoảng \(percent)%. (\(TaskLoad.note))", links: [], state: state,
            createdBy: nil, createdAt: Self.instant(day, hour: 1, minute: minute), submittedAt: submitted,
            decidedAt: decided,
            decisionComment: state == .returned ? "Đề nghị bổ sung số liệu minh chứng. (\(TaskLoad.note))" : nil,
            illustrative: true)
    }

    /// Recommendations raised in the last eight months; most answered.
    mutating func recommendations() -> [Recommendation] {
        let senders = (byKind[.commune] ?? []) + (byKind[.province] ?? []) + (byKind[.ministry] ?? [])
        let receivers = (byKind[.ministry] ?? []) + (byKind[.committee] ?? [])
        guard !senders.isEmpty, !receivers.isEmpty else { return [] }
        var result: [Recommendation] = []
        for index in 0..<options.recommendations {
            let from = random.pick(senders)
            var to = random.pick(receivers)
            if to.code == from.code, let other = receivers.first(where: { $0.code != from.code }) { to = other }
            let raised = last.adding(days: -random.int(0...240))
            let answered = raised.adding(days: random.int(3...60))
            let isAnswered = answered <= last && random.chance(0.7)
            let number = String(index + 1)
            result.append(
                Recommendation(
                    id: "kn-" + String(repeating: "0", count: max(0, 5 - number.count)) + number, fromUnit: from.code,
                    toUnit: to.code, title: "\(random.pick(TaskLoad.recommendationTopics)) (minh họa)",
                    body: TaskLoad.note, due: raised.adding(days: random.pick([15, 30, 45])), raisedBy: nil,
                    raisedAt: Self.instant(raised, hour: 2, minute: 0),
                    signedOffAt: Self.instant(raised, hour: 2, minute: 0),
                    answer: isAnswered ? "Đã tiếp thu, sẽ có văn bản hướng dẫn. (\(TaskLoad.note))" : nil,
                    answeredAt: isAnswered ? Self.instant(answered, hour: 7, minute: 0) : nil, illustrative: true))
        }
        return result
    }
}
