import MandateCore
import Testing

@testable import MandateStore

/// New values on SQLite go through one prepared statement on the connection's own handle; the
/// handle is found, and a key stored twice fails the insert or is skipped, as asked.
@Suite struct NewValueRowsTests {
    static func value(_ unit: String, _ number: Double) -> DataValue {
        DataValue(
            indicator: "BB", unit: unit, period: "2025", value: number, comment: number > 1 ? "ghi chú" : nil,
            evidence: nil, status: .draft, enteredBy: "u-1", enteredAt: "2026-01-10T08:00:00.000Z",
            firstReportedAt: "2026-01-10T08:00:00.000Z", late: number > 2, approvedBy: nil, approvedAt: nil)
    }

    @Test(arguments: [TestDatabase.sqliteMemory, .sqliteFile])
    func rowsAreStoredThroughTheConnectionsHandle(_ kind: TestDatabase) async throws {
        try await kind.withStore { store in
            try await store.indicators.save(Fixture.all)
            let first = [Self.value("00004", 1), Self.value("00008", 3)]
            let inserted = try await store.database.transaction { db in
                let handle = try #require((db as? SQLiteSession)?.handle)
                return try await NewValueRows.insert(first, skippingStored: false, handle: handle)
            }
            #expect(inserted == 2)
            let stored = try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false))
            #expect(stored == first)
            // A stored key is skipped when asked, and fails the statement otherwise.
            let again = [Self.value("00004", 5), Self.value("00025", 2)]
            let skipped = try await store.database.transaction { db in
                try await NewValueRows.insert(
                    again, skippingStored: true, handle: try #require((db as? SQLiteSession)?.handle))
            }
            #expect(skipped == 1)
            await #expect(throws: NewValueRows.Failure.self) {
                try await store.database.transaction { db in
                    try await NewValueRows.insert(
                        [Self.value("00070", 1), Self.value("00004", 9)], skippingStored: false,
                        handle: try #require((db as? SQLiteSession)?.handle))
                }
            }
            let after = try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false))
            #expect(after.map(\.unit) == ["00004", "00008", "00025"])
            #expect(after.first?.value == 1)
        }
    }
}
