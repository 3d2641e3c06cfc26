import Logging
import MandateCore
import SQLKit

/// Applies the migrations that have not been applied yet.
public struct Migrator: Sendable {
    public static let all: [any Migration] = [
        M001Foundation(),
        M002Indicators(),
        M003TransparencyLog(),
        M004Tasks(),
        M005Rankings(),
        M006TaskReads(),
        M007ValueImport(),
        M008CacheVersions(),
        M009TiledLog(),
        M010TodaysUnitsRollUp(),
        M011PendingCorrections(),
        M012SignInFailures(),
        M013TaskOrder(),
        M014TaskFactsVersion(),
        M015FigureVersions(),
        M016RankingSummaries(),
        M017CredentialLifetimes(),
        M018SignOff(),
        M019SecondFactor(),
        M020PasswordResets(),
        M021WorkPlanFields(),
        M022ProgrammeDefinitions(),
        M023Feedback(),
        M024FeedbackModeration(),
        M025FeedbackAnswers(),
        M026FeedbackAppeals(),
        M027FeedbackFacts(),
        M028Catalogue(),
        M029CatalogueSamples(),
        M030CatalogueListing(),
        M031CatalogueRenderings(),
    ]

    let database: any MandateDatabase
    let migrations: [any Migration]
    let logger: Logger

    public init(database: any MandateDatabase, migrations: [any Migration] = Migrator.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies pending migrations; returns the names applied now.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await database.transaction { db in
            try await db.create(table: "schema_migrations")
                .ifNotExists()
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: ColumnType.timestamp, .notNull)
                .run()
        }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try await database.transaction { [flavor = database.flavor] db in
                if flavor == .postgres {
                    // Instances starting together take turns; the loser then sees the step applied.
                    try await db.raw("SELECT pg_advisory_xact_lock(5757057)").run()
                }
                let done = try await db.select().column("name").from("schema_migrations")
                    .where("name", .equal, migration.name).first()
                if done != nil { return false }
                try await migration.prepare(on: db, flavor: flavor)
                try await db.insert(into: "schema_migrations").columns("name", "applied_at")
                    .values(migration.name, database.clock.now()).run()
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                applied.append(migration.name)
            }
        }
        return applied
    }
}
