import SQLKit
import Testing

@testable import MandateStore

/// The remembered snake-case columns read every row as SQLKit's own `convertFromSnakeCase` does.
@Suite struct SnakeCaseColumnsTests {
    struct Row: Decodable, Equatable {
        let code: String
        let parentCode: String
        let userID: String
        let firstReportedAt: String
        let evidenceURLText: String
        let a1B2: String
    }

    @Test(arguments: TestDatabase.available)
    func aRowDecodesAsWithSQLKitsOwnStrategy(_ database: TestDatabase) async throws {
        try await database.withDatabase { database in
            try await database.read { db in
                let select = db.raw(
                    """
                    SELECT 'c' AS code, 'p' AS parent_code, 'u' AS "user_iD", 'f' AS first_reported_at,
                    'e' AS "evidence_uRL_text", 'x' AS a1_b2
                    """)
                let theirs = try await select.first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                let ours = try await select.first(decoding: Row.self, keyDecodingStrategy: .snakeCaseColumns)
                #expect(ours != nil && ours == theirs)
                // Read twice: the second time from what was remembered.
                #expect(try await select.first(decoding: Row.self, keyDecodingStrategy: .snakeCaseColumns) == theirs)
            }
        }
    }

    @Test func namesAreSplitAtCapitalsAsSQLKitSplitsThem() {
        let cases = [
            ("code", "code"), ("parentCode", "parent_code"), ("userID", "user_iD"),
            ("evidenceURLText", "evidence_uRL_text"), ("firstReportedAt", "first_reported_at"),
        ]
        for (key, column) in cases { #expect(SnakeCaseColumns.snakeCase(key) == column, "\(key)") }
    }
}
