import Foundation
import Logging
import MandateCore

/// Every repository over one database.
public struct Store: Sendable {
    public let database: any MandateDatabase
    public let units: any UnitRepository
    public let accounts: any AccountRepository
    public let audit: any AuditRepository
    public let settings: any SettingsRepository
    public let log: any TransparencyLogRepository

    public init(database: any MandateDatabase) {
        self.database = database
        self.units = SQLUnitRepository(database: database)
        self.accounts = SQLAccountRepository(database: database)
        let audit = SQLAuditRepository(database: database)
        self.audit = audit
        self.settings = audit
        self.log = SQLTransparencyLog(database: database)
    }

    /// Applies migrations, then loads the reference units once, and the demo accounts once if asked.
    public func prepare(demo: Bool, logger: Logger) async throws {
        try await Migrator(database: database, logger: logger).migrate()
        if try await settings.value(SettingKey.referenceUnits) == nil {
            let (units, links) = try ReferenceUnits.load()
            try await self.units.save(units, links: links)
            try await settings.set(SettingKey.referenceUnits, to: Timestamp.now())
            logger.info("loaded reference units", metadata: ["units": "\(units.count)", "links": "\(links.count)"])
        }
        if demo, try await settings.value(SettingKey.demoAccounts) == nil {
            for account in DemoAccounts.accounts
            where try await accounts.credentials(email: account.email) == nil {
                let user = User(
                    id: UUID().uuidString.lowercased(), email: account.email, displayName: account.displayName,
                    unitCode: account.unitCode, role: account.role, createdAt: Timestamp.now())
                try await accounts.createUser(user, passwordHash: DemoAccounts.passwordHash)
            }
            try await settings.set(SettingKey.demoAccounts, to: Timestamp.now())
            logger.info("created demo accounts", metadata: ["accounts": "\(DemoAccounts.accounts.count)"])
        }
    }
}

/// Keys of the settings table.
public enum SettingKey {
    public static let referenceUnits = "reference.units.loaded"
    public static let demoAccounts = "demo.accounts.created"
}
