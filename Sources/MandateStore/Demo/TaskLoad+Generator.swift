import MandateCore

extension TaskLoad {
    /// How a task ends up by `today`.
    enum Outcome {
        case notStarted, inProgress, acceptedOnTime, acceptedLate, submitted, returned
    }

    /// One task before its reports are counted out.
    struct Plan {
        var task: ProgrammeTask
        var outcome: Outcome
        /// The lead's last report: the final one, submitted on this day (nil: none).
        var terminalDay: CivilDate?
        var terminalDecided: CivilDate?
        /// Progress reports fall in `first...last`; nil: none.
        var window: ClosedRange<Int>?
        var weight: Double
        var extensions: [DeadlineExtension] = []
    }

    struct Generator {
        let options: Options
        let today: CivilDate
        /// The latest day any fact carries: yesterday, so that no instant lies in the future.
        let last: CivilDate
        var random: Random
        let byKind: [UnitKind: [OrgUnit]]
        let communesOf: [String: [OrgUnit]]

        init(units: [OrgUnit], options: Options) {
            self.options = options
            today = options.today
            last = options.today.adding(days: -1)
            random = Random(source: SplitMix64(seed: options.seed))
            let byKind = Dictionary(grouping: units, by: \.kind)
            self.byKind = byKind
            communesOf = Dictionary(grouping: byKind[.commune] ?? [], by: { $0.parentCode ?? "" })
        }

        static func instant(_ day: CivilDate, hour: Int, minute: Int) -> String {
            let h = hour < 10 ? "0\(hour)" : "\(hour)"
            let m = minute < 10 ? "0\(minute)" : "\(minute)"
            return "\(day)T\(h):\(m):00.000Z"
        }

        mutating func build() -> DemoTasks.Content {
            var plans: [Plan] = []
            plans.reserveCapacity(options.tasks)
            for index in 0..<options.tasks { plans.append(plan(index)) }
            // Every final report first, then the rest in proportion to how long each task has run.
            let required = plans.map { $0.terminalDay == nil ? 0 : 1 }
            let spare = max(0, options.reports - required.reduce(0, +))
            let extra = TaskLoad.allocate(spare, weights: plans.map(\.weight))
            var content = DemoTasks.Content(tasks: [], reports: [], extensions: [], recommendations: [])
            content.tasks.reserveCapacity(plans.count)
            content.reports.reserveCapacity(options.reports)
            for (plan, count) in zip(plans, zip(required, extra).map(+)) {
                let reports = self.reports(for: plan, count: count)
                let progress = TaskProgress.of(plan.task, reports: reports, extensions: plan.extensions)
                content.tasks.append(TaskRecord(task: plan.task, progress: progress))
                content.reports += reports
                content.extensions += plan.extensions
            }
            content.recommendations = recommendations()
            return content
        }

        mutating func pickLead() -> OrgUnit {
            var draw = random.uniform() * TaskLoad.leadShares.map(\.1).reduce(0, +)
            for (kind, share) in TaskLoad.leadShares {
                draw -= share
                if draw < 0, let units = byKind[kind], !units.isEmpty { return random.pick(units) }
            }
            return random.pick(byKind[.ministry] ?? byKind[.committee] ?? [])
        }

        mutating func coordinators(of lead: OrgUnit) -> [String] {
            var pool: [String] = []
            if lead.kind == .commune {
                if let province = lead.parentCode { pool.append(province) }
                if let neighbours = communesOf[lead.parentCode ?? ""], !neighbours.isEmpty {
                    pool.append(random.pick(neighbours).code)
                }
            }
            if let ministries = byKind[.ministry], !ministries.isEmpty {
                pool.append(random.pick(ministries).code)
                if lead.kind == .ministry, let provinces = byKind[.province], !provinces.isEmpty {
                    pool.append(random.pick(provinces).code)
                }
            }
            let wanted = random.pick([0, 1, 1, 2, 2, 3])
            var chosen: [String] = []
            for code in pool where chosen.count < wanted && code != lead.code && !chosen.contains(code) {
                if random.chance(0.8) { chosen.append(code) }
            }
            return chosen.sorted()
        }

        mutating func title(for lead: OrgUnit) -> String {
            let (verbs, objects) = random.pick(TaskLoad.phrases)
            let verb = random.pick(verbs)
            let object = random.pick(objects)
            let scope =
                switch lead.kind {
                case .commune: "tại \(lead.name)"
                case .province: "trên địa bàn \(lead.name)"
                case .ministry: "thuộc lĩnh vực \(lead.shortName)"
                default: "trên phạm vi toàn quốc"
                }
            return "\(verb) \(object) \(scope)"
        }
    }
}
