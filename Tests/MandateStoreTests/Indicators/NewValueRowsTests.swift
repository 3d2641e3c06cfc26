import MandateCore
import Testing

@testable import MandateStore

/// New values on SQLite go through one prepared statement on the connection's own handle; the
/// handle is found, and a key stored twice fails the insert or is skipped, as asked.
@Suite struct NewValueRowsTests {
    /// Inserts `values` (all of one submission) through the handle, in a transaction of its own;
    /// returns the positions of those left out as stored already.
    static func insert(_ values: [DataValue], skippingStored: Bool, into store: Store) async throws -> [Int] {
        try await store.database.transaction { db in
            let handle = try #require((db as? SQLiteSession)?.handle)
            return try await NewValueRows.insert(
                values.map { CheckedValue(key: $0.key, value: $0.value, comment: $0.comment, evidence: $0.evidence) },
                late: values.map(\.late), order: values.indices.reversed(),
                shared: NewValueRows.Shared(try #require(values.first)),
                skippingStored: skippingStored, handle: handle)
        }
    }

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
            #expect(try await Self.insert(first, skippingStored: false, into: store) == [])
            let stored = try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false))
            #expect(stored == first)
            // A stored key is skipped when asked, and fails the statement otherwise.
            let again = [Self.value("00025", 2), Self.value("00004", 5), Self.value("00030", 3)]
            #expect(try await Self.insert(again, skippingStored: true, into: store) == [1])
            await #expect(throws: RawStatement.Failure.self) {
                try await Self.insert(
                    [Self.value("00070", 1), Self.value("00004", 9)], skippingStored: false, into: store)
            }
            let after = try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false))
            #expect(after.map(\.unit) == ["00004", "00008", "00025", "00030"])
            #expect(after.first?.value == 1)
        }
    }

    /// Rows go many to a statement; the stored keys among them are still each found, in the full
    /// statements and in the single rows after them, and every other row is stored once.
    @Test(arguments: [TestDatabase.sqliteMemory, .sqliteFile])
    func storedKeysAreFoundAmongManyRows(_ kind: TestDatabase) async throws {
        try await kind.withStore { store in
            try await store.indicators.save(Fixture.all)
            let units = (0..<(NewValueRows.rowsPerStatement * 2 + 5)).map { String(format: "%05d", 100 + $0) }
            let storedBefore = [3, 17, NewValueRows.rowsPerStatement + 1, units.count - 2]
            // Rows go in in reverse order here: the last one stored before (the largest rowid
            // stored) is the unit at `units.count - 2`, which shares a statement with new rows; it counts
            // as stored too.
            let first = storedBefore.reversed().map { Self.value(units[$0], 1) }
            #expect(try await Self.insert(first, skippingStored: false, into: store) == [])
            let all = units.enumerated().map { Self.value($1, Double($0 + 2)) }
            #expect(try await Self.insert(all, skippingStored: true, into: store) == storedBefore)
            let after = try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false, limit: 1000))
            #expect(after.map(\.unit) == units)
            for (position, value) in after.enumerated() {
                #expect(value.value == (storedBefore.contains(position) ? 1 : Double(position + 2)))
                #expect(value.late == (value.value > 2) && value.comment == (value.value > 1 ? "ghi chú" : nil))
            }
        }
    }
}
