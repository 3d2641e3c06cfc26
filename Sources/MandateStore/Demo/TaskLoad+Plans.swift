import MandateCore

extension TaskLoad.Generator {
    /// The task numbered `index` and how it ends up: most due tasks accepted on time, some late,
    /// some overdue, returned or awaiting a decision; running tasks mostly in progress.
    mutating func plan(_ index: Int) -> TaskLoad.Plan {
        let lead = pickLead()
        let number = String(index + 1)
        let code = "NV" + String(repeating: "0", count: max(0, 6 - number.count)) + number
        let start = today.adding(days: random.int(-540...60))
        let deadline = start.adding(days: random.pick(TaskLoad.deadlineDays) + random.int(-10...10))
        let created = min(start.adding(days: -random.int(3...20)), last)
        let title = title(for: lead)
        let orientation = random.int(1...7)
        let coordinating = coordinators(of: lead)
        let proposed = random.chance(0.02)
        let minute = random.int(0...59)
        var task = ProgrammeTask(
            code: code, title: title, description: TaskLoad.note,
            deliverable: "Báo cáo kết quả và sản phẩm bàn giao", programme: DemoTasks.programme.code,
            orientation: orientation, leadUnit: lead.code, coordinatingUnits: coordinating, start: start,
            deadline: deadline, origin: proposed ? .proposed : .assigned, illustrative: true,
            createdAt: Self.instant(created, hour: 2, minute: minute))
        var plan = TaskLoad.Plan(task: task, outcome: .notStarted, window: nil, weight: 0)
        if task.origin == .proposed {
            // Signed off by the unit's head as it was proposed.
            task.signedOffAt = task.createdAt
            // Proposals for tasks that start soon may still await adoption.
            if start > today.adding(days: -30), random.chance(0.5) { return plan }
            let adopted = min(created.adding(days: random.int(1...10)), last)
            task.adoptedAt = Self.instant(adopted, hour: 8, minute: 30)
        }
        guard start <= last else {
            plan.task = task
            return plan
        }
        if random.chance(0.015) {
            let span = max(0, min(last, deadline).dayNumber - start.dayNumber)
            let cancelled = start.adding(days: random.int(0...span))
            task.cancelledAt = Self.instant(cancelled, hour: 7, minute: 0)
            task.cancelReason = "Điều chỉnh kế hoạch. (\(TaskLoad.note))"
            plan.task = task
            plan.outcome = .inProgress
            plan.window = start.dayNumber...cancelled.dayNumber
            plan.weight = weight(task, from: start, to: cancelled)
            return plan
        }
        plan.task = task
        if deadline < today {
            planDue(&plan)
        } else {
            planRunning(&plan)
        }
        if plan.outcome != .notStarted {
            let end = plan.terminalDay.map { $0.adding(days: -1) } ?? last
            plan.window = start.dayNumber...max(start.dayNumber, end.dayNumber)
            plan.weight = weight(task, from: start, to: max(start, end))
        }
        return plan
    }

    func weight(_ task: ProgrammeTask, from start: CivilDate, to end: CivilDate) -> Double {
        let months = max(1.0, Double(end.dayNumber - start.dayNumber) / 30.0)
        return months * (1.0 + 0.5 * Double(task.coordinatingUnits.count))
    }

    /// A day in `from...to`, kept within the task's start and yesterday.
    mutating func day(_ from: CivilDate, _ to: CivilDate, after start: CivilDate) -> CivilDate {
        let low = max(from, start)
        let high = min(max(to, low), last)
        guard low <= high else { return high }
        return low.adding(days: random.int(0...(high.dayNumber - low.dayNumber)))
    }

    mutating func finish(_ plan: inout TaskLoad.Plan, _ outcome: TaskLoad.Outcome, submitted: CivilDate) {
        plan.outcome = outcome
        plan.terminalDay = submitted
        switch outcome {
        case .acceptedOnTime, .acceptedLate, .returned:
            plan.terminalDecided = min(submitted.adding(days: random.int(1...10)), last)
        default:
            plan.terminalDecided = nil
        }
    }

    mutating func extensionRequest(
        _ plan: inout TaskLoad.Plan, requested: CivilDate, decided: CivilDate?, granted: Bool, to deadline: CivilDate
    ) {
        let task = plan.task
        guard requested >= task.start, requested <= last, (decided ?? requested) <= last else { return }
        plan.extensions.append(
            DeadlineExtension(
                id: "\(task.code.lowercased())-e\(plan.extensions.count + 1)", task: task.code, unit: task.leadUnit,
                requestedDeadline: deadline,
                reason: "Chờ kết quả rà soát của các đơn vị trực thuộc. (\(TaskLoad.note))",
                requestedBy: nil, requestedAt: Self.instant(requested, hour: 3, minute: 15),
                state: decided == nil ? .pending : granted ? .granted : .refused, decidedBy: nil,
                decidedAt: decided.map { Self.instant($0, hour: 9, minute: 0) }))
    }

    /// A task whose deadline has passed.
    mutating func planDue(_ plan: inout TaskLoad.Plan) {
        let task = plan.task
        let d = task.deadline
        let r = random.uniform()
        switch r {
        case ..<0.66:
            let submitted = day(d.adding(days: -14), d, after: task.start.adding(days: 1))
            finish(&plan, .acceptedOnTime, submitted: submitted)
        case ..<0.70:
            // An extension granted in time; delivered within it, or still running.
            let decided = d.adding(days: -random.int(3...10))
            extensionRequest(
                &plan, requested: d.adding(days: -20), decided: decided, granted: true, to: d.adding(days: 30))
            let submitted = d.adding(days: random.int(1...30))
            if submitted <= last {
                finish(&plan, .acceptedOnTime, submitted: submitted)
            } else {
                plan.outcome = .inProgress
            }
        case ..<0.80:
            let submitted = day(d.adding(days: 1), d.adding(days: 90), after: task.start)
            finish(&plan, .acceptedLate, submitted: submitted)
        case ..<0.90:
            plan.outcome = .inProgress
            if random.chance(0.1) {
                extensionRequest(
                    &plan, requested: d.adding(days: -12), decided: d.adding(days: -5), granted: false,
                    to: d.adding(days: 60))
            }
        case ..<0.92:
            // Granted after the deadline lapsed: a new working deadline, still overdue.
            plan.outcome = .inProgress
            let decided = min(d.adding(days: random.int(5...20)), last)
            extensionRequest(
                &plan, requested: d.adding(days: 2), decided: decided, granted: true, to: decided.adding(days: 45))
        case ..<0.94:
            let submitted = day(d.adding(days: -10), d.adding(days: 20), after: task.start)
            finish(&plan, .returned, submitted: submitted)
        case ..<0.98:
            let submitted = day(last.adding(days: -20), last, after: task.start)
            finish(&plan, .submitted, submitted: submitted)
        default:
            plan.outcome = .inProgress
            let requested = max(task.start, last.adding(days: -random.int(0...10)))
            extensionRequest(&plan, requested: requested, decided: nil, granted: false, to: today.adding(days: 60))
        }
    }

    /// A task still before its deadline.
    mutating func planRunning(_ plan: inout TaskLoad.Plan) {
        let task = plan.task
        let r = random.uniform()
        switch r {
        case ..<0.10:
            let submitted = day(last.adding(days: -60), last, after: task.start)
            finish(&plan, .acceptedOnTime, submitted: submitted)
        case ..<0.15:
            let submitted = day(last.adding(days: -15), last, after: task.start)
            finish(&plan, .submitted, submitted: submitted)
        case ..<0.19:
            let submitted = day(last.adding(days: -40), last.adding(days: -2), after: task.start)
            finish(&plan, .returned, submitted: submitted)
        case ..<0.25:
            plan.outcome = .notStarted
        case ..<0.27:
            plan.outcome = .inProgress
            let requested = max(task.start, last.adding(days: -random.int(0...10)))
            extensionRequest(
                &plan, requested: requested, decided: nil, granted: false, to: task.deadline.adding(days: 60))
        default:
            plan.outcome = .inProgress
        }
    }
}
