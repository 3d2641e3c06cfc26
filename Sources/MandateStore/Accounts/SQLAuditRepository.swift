import MandateCore
import SQLKit

/// `AuditRepository` and `SettingsRepository` on SQLite or PostgreSQL.
public struct SQLAuditRepository: AuditRepository, SettingsRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    static let columns = [
        "at", "user_id", "role", "user_unit", "action", "target_unit", "target", "allowed", "reason", "request_id",
    ]

    public func record(_ event: AuditEvent) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await Self.insert([event], on: db)
        }
    }

    static func insert(_ events: [AuditEvent], on db: any SQLDatabase) async throws {
        var insert = db.insert(into: "audit_events").columns(Self.columns)
        for event in events {
            insert = insert.values(
                event.at, event.userId, event.role?.rawValue, event.userUnit, event.action, event.targetUnit,
                event.target, event.allowed, event.reason, event.requestId)
        }
        try await insert.run()
    }

    public func recent(limit: Int, deniedOnly: Bool) async throws -> [AuditEvent] {
        try await database.read { db in
            var select = db.select().columns(Self.columns).from("audit_events")
            if deniedOnly { select = select.where("allowed", .equal, false) }
            return try await select.orderBy("id", .descending).limit(limit)
                .all(decoding: AuditEvent.self, keyDecodingStrategy: .snakeCaseColumns)
        }
    }

    public func value(_ key: String) async throws -> String? {
        try await database.read { db in
            try await db.select().column("value").from("settings").where("key", .equal, key)
                .first(decodingColumn: "value", as: String.self)
        }
    }

    public func set(_ key: String, to value: String) async throws {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.insert(into: "settings").columns("key", "value").values(key, value)
                .onConflict(with: ["key"]) { $0.set(excludedValueOf: "value") }.run()
        }
    }

    public func value(
        _ key: String, insertingIfAbsent value: String, changes: ChangeTags
    ) async throws -> String {
        try await database.transaction { db in
            ChangeRecorder.note(changes)
            try await db.insert(into: "settings").columns("key", "value").values(key, value)
                .ignoringConflicts(with: ["key"]).run()
            return try await db.select().column("value").from("settings").where("key", .equal, key)
                .first(decodingColumn: "value", as: String.self) ?? value
        }
    }
}
