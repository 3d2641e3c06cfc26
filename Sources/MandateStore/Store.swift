import Foundation
import Logging
import MandateCore

/// Every repository over one database.
public struct Store: Sendable {
    public let database: any MandateDatabase
    /// The database's clock: every "now" of the application.
    public var clock: AppClock { database.clock }
    public let units: any UnitRepository
    public let accounts: any AccountRepository
    public let audit: any AuditRepository
    public let settings: any SettingsRepository
    public let log: any TransparencyLogRepository
    public let indicators: any IndicatorRepository
    public let values: any DataValueRepository
    public let tasks: any TaskRepository
    public let rankings: any RankingRepository
    public let feedback: any FeedbackRepository
    public let catalogue: any CatalogueRepository
    /// The delivery measures of the task, feedback and catalogue modules, as rankings read them.
    public let delivery: any DeliveryMeasureSource

    public init(database: any MandateDatabase) {
        self.database = database
        self.units = SQLUnitRepository(database: database)
        self.accounts = SQLAccountRepository(database: database)
        let audit = SQLAuditRepository(database: database)
        self.audit = audit
        self.settings = audit
        self.log = SQLTransparencyLog(database: database)
        self.indicators = SQLIndicatorRepository(database: database)
        self.values = SQLDataValueRepository(database: database)
        self.tasks = SQLTaskRepository(database: database)
        self.rankings = SQLRankingRepository(database: database)
        self.feedback = SQLFeedbackRepository(database: database)
        self.catalogue = SQLCatalogueRepository(database: database)
        self.delivery = CombinedDeliveryMeasures([
            TaskDeliveryMeasures(tasks: self.tasks, units: self.units, today: { database.clock.today() }),
            FeedbackDeliveryMeasures(feedback: self.feedback, units: self.units, today: { database.clock.today() }),
            CatalogueDeliveryMeasures(
                completions: CatalogueCompletions(catalogue: self.catalogue, units: self.units, settings: audit),
                units: self.units, today: { database.clock.today() }),
        ])
    }

    /// Rankings computed from this store's data, periods judged begun by `today`.
    public func rankingComputer(today: @escaping @Sendable () -> CivilDate) -> RankingComputer {
        RankingComputer(
            units: units, values: values, indicators: indicators, delivery: delivery, satisfaction: feedback,
            today: today)
    }

    /// Applies migrations, then loads the reference units once, and the demo accounts once if asked.
    public func prepare(demo: Bool, logger: Logger) async throws {
        try await Migrator(database: database, logger: logger).migrate()
        if try await settings.value(SettingKey.referenceUnits) == nil {
            let (units, links) = try ReferenceUnits.load()
            try await self.units.save(units, links: links)
            try await settings.set(SettingKey.referenceUnits, to: database.clock.now())
            logger.info("loaded reference units", metadata: ["units": "\(units.count)", "links": "\(links.count)"])
        }
        if demo, try await settings.value(SettingKey.demoAccounts) == nil {
            for account in DemoAccounts.accounts
            where try await accounts.credentials(email: account.email) == nil {
                let user = User(
                    id: UUID().uuidString.lowercased(), email: account.email, displayName: account.displayName,
                    unitCode: account.unitCode, role: account.role, createdAt: database.clock.now())
                try await accounts.createUser(user, passwordHash: DemoAccounts.passwordHash)
            }
            try await settings.set(SettingKey.demoAccounts, to: database.clock.now())
            logger.info("created demo accounts", metadata: ["accounts": "\(DemoAccounts.accounts.count)"])
        }
        if demo, try await settings.value(SettingKey.demoIndicators) == nil {
            try await loadDemoIndicators(logger: logger)
        }
        if demo, try await settings.value(SettingKey.demoTasks) == nil {
            try await loadDemoTasks(logger: logger)
        }
        if demo, try await settings.value(SettingKey.demoRatings) == nil {
            let provinces = try await units.codes(of: .province)
            let ratings = DemoRatings.ratings(provinces: provinces)
            try await SQLFeedbackRepository(database: database).load(ratings, at: database.clock.now())
            try await settings.set(SettingKey.demoRatings, to: database.clock.now())
            logger.info("loaded demo ratings", metadata: ["ratings": "\(ratings.count)"])
        }
        if demo, try await settings.value(SettingKey.demoCatalogue) == nil {
            try await loadDemoCatalogue(logger: logger)
        }
        if demo, try await settings.value(SettingKey.demoRankingMethods) == nil {
            for method in try DemoRankingMethods.all() {
                try await rankings.saveMethod(method, at: database.clock.now())
            }
            try await settings.set(SettingKey.demoRankingMethods, to: database.clock.now())
            logger.info("saved demo ranking methods", metadata: ["methods": "\(DemoRankingMethods.names.count)"])
        }
        if demo, try await settings.value(SettingKey.demoRankings) == nil {
            try await publishDemoRankings(logger: logger)
        }
    }

    /// The demo indicators, their rules, and illustrative values for 2024–2026 (stored as on time).
    func loadDemoIndicators(logger: Logger) async throws {
        try await IndicatorImporter(indicators: indicators).save(DemoIndicators.indicators)
        try await indicators.saveRules(DemoIndicators.rules)
        let all = try await units.list(UnitQuery(includeInactive: true, limit: 100_000)).items.map {
            (code: $0.code, kind: $0.kind, parent: $0.parentCode, active: $0.active)
        }
        let today = database.clock.today()
        var count = 0
        for batch in DemoIndicators.batches(units: all, today: today) {
            count += try await values.submit(
                batch.inputs, by: Submitter(userId: nil, status: .approved, at: batch.at), wholeSubmission: true,
                progress: nil
            ).created
        }
        try await settings.set(SettingKey.demoIndicators, to: database.clock.now())
        logger.info(
            "loaded demo indicators",
            metadata: ["indicators": "\(DemoIndicators.indicators.count)", "values": "\(count)"])
    }
}

extension Store {
    /// The demo programme, its tasks and illustrative reports, extensions and recommendations.
    func loadDemoTasks(logger: Logger) async throws {
        try await tasks.save(DemoTasks.programme)
        let all = try await units.list(UnitQuery(limit: 100_000)).items.map { (code: $0.code, kind: $0.kind) }
        let today = database.clock.today()
        let content = DemoTasks.content(units: all, today: today)
        try await SQLTaskRepository(database: database).load(content)
        try await settings.set(SettingKey.demoTasks, to: database.clock.now())
        logger.info(
            "loaded demo tasks",
            metadata: ["tasks": "\(content.tasks.count)", "reports": "\(content.reports.count)"])
    }
}

extension Store {
    /// The demo's catalogue (`DemoCatalogue`), approved as it is loaded.
    func loadDemoCatalogue(logger: Logger) async throws {
        let entries = try DemoCatalogue.entries(today: database.clock.todayInHanoi())
        var loaded: [(entry: CatalogueEntry, ownerParent: String?, expected: Int?)] = []
        for (entry, expected) in entries {
            guard let owner = try await units.get(code: entry.owner) else { continue }
            loaded.append((entry, owner.parentCode, expected))
        }
        try await SQLCatalogueRepository(database: database).load(loaded, at: database.clock.now())
        // What the committee expects, illustrative: two databases of each ministry, two of each
        // province, the deadline the programme set.
        try await CatalogueCompletions(catalogue: catalogue, units: units, settings: settings).setExpectations(
            CatalogueExpectations(byKind: [UnitKind.ministry.rawValue: 2, UnitKind.province.rawValue: 2]))
        try await settings.set(SettingKey.demoCatalogue, to: database.clock.now())
        logger.info("loaded demo catalogue", metadata: ["databases": "\(loaded.count)"])
    }
}

extension Store {
    /// The published rankings of the demo, so that the portal has something to show: provinces by
    /// the DTI method and ministries by delivery, for 2025 with the change from 2024. The demo's
    /// illustrative values of today's provinces and ministries cover 2024 to 2026 (2023 has only the
    /// former provinces' DTI), and 2025 is the last full year. The methods say in their names that
    /// the inputs are illustrative. (Publications of later periods are left to the committee, as in
    /// a real deployment.)
    static let demoPublications: [(method: String, period: String, previous: String)] = [
        ("province-dti", "2025", "2024"), ("ministry-delivery", "2025", "2024"),
    ]

    func publishDemoRankings(logger: Logger) async throws {
        let computer = rankingComputer(today: { database.clock.today() })
        var published = 0
        for publication in Self.demoPublications {
            guard let method = try await rankings.method(id: publication.method, version: nil) else { continue }
            let computed = try await computer.compute(
                method, period: try Period(publication.period), previous: try Period(publication.previous))
            // A change since a period that lacks whole pillars is not a change: such a comparison
            // is left out rather than published.
            let lacking = Self.pillarsLacking(computed.method, computed.result)
            guard lacking.isEmpty else {
                logger.warning(
                    "demo ranking not published: the previous period lacks whole pillars",
                    metadata: [
                        "method": "\(method.id)", "period": "\(publication.period)",
                        "previous": "\(publication.previous)", "pillars": "\(lacking.joined(separator: ","))",
                    ])
                continue
            }
            _ = try await rankings.publish(
                method: computed.method, result: computed.result, inputsCSV: computed.inputsCSV, by: nil,
                at: database.clock.now())
            published += 1
        }
        try await settings.set(SettingKey.demoRankings, to: database.clock.now())
        logger.info("published demo rankings", metadata: ["rankings": "\(published)"])
    }

    /// The pillars all of whose components have values in the period and none in the previous one.
    static func pillarsLacking(_ method: RankingMethod, _ result: RankingResult) -> [String] {
        let missing = Set(result.previousMissingComponents ?? [])
        return method.pillars.filter { pillar in pillar.components.allSatisfy { missing.contains($0.code) } }.map(
            \.code)
    }
}

/// Keys of the settings table.
public enum SettingKey {
    public static let referenceUnits = "reference.units.loaded"
    public static let demoAccounts = "demo.accounts.created"
    public static let demoIndicators = "demo.indicators.loaded"
    public static let demoTasks = "demo.tasks.loaded"
    public static let demoRatings = "demo.ratings.loaded"
    public static let demoCatalogue = "demo.catalogue.loaded"
    public static let demoRankings = "demo.rankings.published"
    public static let demoRankingMethods = "demo.ranking-methods.saved"
    /// The secret the sign-in throttle keys its counts with (`SignInThrottle`), made on first use.
    public static let signInThrottleKey = "sign-in.throttle-key"
}
