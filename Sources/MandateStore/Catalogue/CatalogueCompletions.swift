import Foundation
import MandateCore

/// Every unit's catalogue against what is expected of it, own and rolled up the tree, as of a
/// day: what a unit's profile shows and what rankings read as delivery measures
/// (`catalogue_completion`, `catalogue_living`). The rules are MandateCore's
/// (`CatalogueCompletion`, `DatabaseQualities`).
public struct CatalogueCompletions: Sendable {
    let catalogue: any CatalogueRepository
    let units: any UnitRepository
    let settings: any SettingsRepository

    public init(catalogue: any CatalogueRepository, units: any UnitRepository, settings: any SettingsRepository) {
        self.catalogue = catalogue
        self.units = units
        self.settings = settings
    }

    public static let settingKey = "catalogue.expectations"

    public func expectations() async throws -> CatalogueExpectations {
        guard let text = try await settings.value(Self.settingKey) else { return CatalogueExpectations() }
        return try JSONDecoder().decode(CatalogueExpectations.self, from: Data(text.utf8))
    }

    public func setExpectations(_ expectations: CatalogueExpectations) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await settings.set(Self.settingKey, to: String(decoding: try encoder.encode(expectations), as: UTF8.self))
    }

    public struct Figures: Sendable {
        public let expectations: CatalogueExpectations
        /// Each unit's own databases.
        public let own: [String: CatalogueCompletion]
        /// Each unit's with every unit below it.
        public let subtree: [String: CatalogueCompletion]
    }

    /// The figures as of `asOf`: databases first approved after it are left out, and living is
    /// judged on that day.
    public func figures(asOf: CivilDate) async throws -> Figures {
        let expectations = try await expectations()
        let all = try await units.list(UnitQuery(includeInactive: false, limit: 1_000_000)).items
        var databases: [String: [CatalogueCompletion.Database]] = [:]
        var after: String?
        while true {
            let records = try await catalogue.published(after: after, batch: 1_000, owners: nil)
            guard let last = records.last else { break }
            after = last.code
            for record in records {
                guard let entry = record.published,
                    let first = record.firstApprovedAt.flatMap({ CivilDate.inHanoi(atUTC: $0) })
                else { continue }
                let evidence = record.evidence
                databases[record.owner, default: []].append(
                    CatalogueCompletion.Database(
                        sufficient: DatabaseQualities.sufficient(entry, expectedRecords: evidence.expectedRecords)
                            .state == .met,
                        living: DatabaseQualities.living(entry, probes: evidence.probes, today: asOf).state == .met,
                        firstApproved: first))
            }
            if records.count < 1_000 { break }
        }
        var own: [String: CatalogueCompletion] = [:]
        for unit in all {
            let expected = expectations.expected(unit: unit.code, kind: unit.kind)
            let mine = databases[unit.code] ?? []
            guard expected > 0 || !mine.isEmpty else { continue }
            own[unit.code] = CatalogueCompletion.of(
                mine, expected: expected, deadline: expectations.deadline, asOf: asOf)
        }
        let parents = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0.parentCode) })
        return Figures(
            expectations: expectations, own: own, subtree: CatalogueCompletion.rolledUp(own, parents: parents))
    }
}

/// The catalogue's delivery measures as rankings read them: of each unit with the units below
/// it, the completion rate and the living rate as of the period's last day, or today while the
/// period runs.
public struct CatalogueDeliveryMeasures: DeliveryMeasureSource {
    let completions: CatalogueCompletions
    let units: any UnitRepository
    let today: @Sendable () -> CivilDate

    public init(
        completions: CatalogueCompletions, units: any UnitRepository, today: @escaping @Sendable () -> CivilDate
    ) {
        self.completions = completions
        self.units = units
        self.today = today
    }

    public var provides: Set<RankingSource.DeliveryMeasure> { [.catalogueCompletion, .catalogueLiving] }

    public func measures(
        kind: UnitKind, period: Period
    ) async throws -> [String: [RankingSource.DeliveryMeasure: Double]] {
        let kinds = try await units.kinds()
        let figures = try await completions.figures(asOf: min(period.end, today()))
        var result: [String: [RankingSource.DeliveryMeasure: Double]] = [:]
        for (unit, completion) in figures.subtree where kinds[unit] == kind {
            var row: [RankingSource.DeliveryMeasure: Double] = [:]
            if let rate = completion.completionRate { row[.catalogueCompletion] = rate }
            if let rate = completion.livingRate { row[.catalogueLiving] = rate }
            if !row.isEmpty { result[unit] = row }
        }
        return result
    }
}
