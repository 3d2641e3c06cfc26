import MandateCore

/// Loads or updates units from a CSV file: every row is checked first, and nothing is written
/// unless every row is good.
public struct UnitImporter: Sendable {
    let units: any UnitRepository

    public init(units: any UnitRepository) {
        self.units = units
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var created: Int
        public var updated: Int

        public init(created: Int, updated: Int) {
            self.created = created
            self.updated = updated
        }
    }

    public func importCSV(_ text: String) async throws -> Summary {
        let existing = try await units.kinds()
        let parsed = try UnitCSV.parse(text, existing: existing)
        var summary = Summary(created: 0, updated: 0)
        for unit in parsed {
            if existing[unit.code] == nil { summary.created += 1 } else { summary.updated += 1 }
        }
        try await units.save(parsed, links: [])
        return summary
    }
}
