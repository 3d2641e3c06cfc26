import Foundation
import MandateCore
import MandateStore

/// The database catalogue's one write path, for the API and the pages alike: a unit's reporters
/// write entries (`editCatalogue` on the owner), its head publishes them (`approveCatalogue`), and
/// committee roles record audits and expected record counts (`auditCatalogue`). Every rule is
/// MandateCore's (`CatalogueDraft`, `DatabaseQualities`, `MetadataScore`, `DatabaseClass`).
struct CatalogueService: Sendable {
    let catalogue: any CatalogueRepository
    let units: any UnitRepository
    let access: AccessGuard
    let clock: AppClock
    let completions: CatalogueCompletions
    /// The completion figures, kept until a commit changes the catalogue.
    let kept: KeptParts
    /// At most one catalogue file is read at a time, four more waiting.
    let imports = ConcurrencyGate(running: 1, waiting: 4, busy: ValueService.importsBusy)
    static let maximumImportSize = 16 << 20

    /// The approved entries of `query` with what is computed of them; a filter on the computed
    /// qualities is applied before the page is cut.
    func list(_ query: CatalogueQuery, filter: QualityFilter?) async throws -> Listing {
        guard let filter else {
            let page = try await catalogue.list(query)
            return Listing(
                items: page.items.map { ($0, assessed($0)) }, total: page.total,
                totalIsLowerBound: query.isLowerBound(page.total))
        }
        // The qualities are computed, not kept: every entry the other filters leave is assessed,
        // a batch at a time so that memory holds a batch and the page, not the catalogue.
        var batch = query
        batch.limit = Self.assessedBatch
        batch.offset = 0
        var items: [(record: CatalogueRecord, assessed: AssessedDatabase?)] = []
        var total = 0
        while true {
            let page = try await catalogue.list(batch)
            for record in page.items {
                guard let assessed = assessed(record), filter.admits(assessed) else { continue }
                if total >= query.offset, items.count < query.limit { items.append((record, assessed)) }
                total += 1
            }
            if page.items.count < batch.limit { break }
            batch.offset += batch.limit
        }
        return Listing(items: items, total: total, totalIsLowerBound: false)
    }

    static let assessedBatch = 500

    struct Listing: Sendable {
        let items: [(record: CatalogueRecord, assessed: AssessedDatabase?)]
        let total: Int
        /// Whether a search stopped counting at `total` (`CatalogueQuery.countCeiling`).
        let totalIsLowerBound: Bool
    }

    /// Keeps `draft` as the entry awaiting approval: a new database when `code` is nil, else the
    /// database `code` (the draft must name the same one, and the same owner).
    func save(_ draft: CatalogueDraft, code: String?, _ caller: ServiceCaller) async throws -> CatalogueRecord {
        let owner = (draft.owner ?? "").trimmingWhitespace()
        if !owner.isEmpty {
            try await access.require(.editCatalogue, on: owner, caller, target: "catalogue:\(code ?? draft.code ?? "")")
        } else {
            guard Authorizer.maySomewhere(caller.principal, .editCatalogue) else {
                throw AppError.forbidden("only a unit's reporters and head may \(Action.editCatalogue.phrase)")
            }
        }
        let entry = try draft.entry(today: clock.todayInHanoi())
        if let code, entry.code != code {
            throw AppError.badRequest(field: "code", "the body's code \"\(entry.code)\" is not the path's \"\(code)\"")
        }
        let existing = try await catalogue.record(code: entry.code)
        if code == nil, existing != nil {
            throw StateConflict(field: "code", "a database with code \(entry.code) is already in the catalogue")
        }
        if code != nil, existing == nil { throw AppError.notFound("no database has code \"\(entry.code)\"") }
        try Self.keepsOwner(entry, existing)
        let parent = try await units.get(code: entry.owner)?.parentCode
        return try await catalogue.saveDrafts([(entry, parent)], by: caller.user?.id, at: clock.now())[0]
    }

    /// A database stays with the unit that declared it: another unit declares its own.
    static func keepsOwner(_ entry: CatalogueEntry, _ existing: CatalogueRecord?) throws {
        if let existing, existing.owner != entry.owner {
            throw StateConflict(
                field: "owner", "\(entry.code) belongs to unit \(existing.owner), not \(entry.owner)")
        }
    }

    /// Every row of a CSV file, or every draft of a JSON array, kept as drafts at once, or none
    /// with every problem named. Who may write no catalogue anywhere is refused before the file is
    /// read; then every owner it names is authorised.
    func importEntries(
        csv: String?, json: [CatalogueDraft]?, dryRun: Bool, _ caller: ServiceCaller
    ) async throws
        -> [CatalogueEntry]
    {
        guard Authorizer.maySomewhere(caller.principal, .editCatalogue) else {
            throw AppError.forbidden("only a unit's reporters and head may \(Action.editCatalogue.phrase)")
        }
        let today = clock.todayInHanoi()
        let entries: [CatalogueEntry]
        if let csv {
            entries = try CatalogueCSV.entries(csv, today: today)
        } else {
            var errors: [RowError] = []
            var parsed: [CatalogueEntry] = []
            for (index, draft) in (json ?? []).enumerated() {
                do {
                    parsed.append(try draft.entry(today: today))
                } catch {
                    errors += error.errors.map {
                        RowError(
                            line: nil, column: "[\(index)].\($0.column ?? "")", en: $0.reason, vi: $0.reason(in: .vi))
                    }
                }
            }
            if !errors.isEmpty { throw ValidationFailure(errors) }
            entries = parsed
        }
        for owner in Set(entries.map(\.owner)).sorted() {
            try await access.require(.editCatalogue, on: owner, caller, target: "catalogue-import")
        }
        var rows: [(CatalogueEntry, String?)] = []
        var parents: [String: String?] = [:]
        for entry in entries {
            try Self.keepsOwner(entry, try await catalogue.record(code: entry.code))
            if parents[entry.owner] == nil { parents[entry.owner] = try await units.get(code: entry.owner)?.parentCode }
            rows.append((entry, parents[entry.owner] ?? nil))
        }
        if !dryRun { _ = try await catalogue.saveDrafts(rows, by: caller.user?.id, at: clock.now()) }
        return entries
    }

    /// Publishes the draft of `code` as its next version.
    func approve(code: String, _ caller: ServiceCaller) async throws -> CatalogueRecord {
        let record = try await existing(code)
        try await access.require(.approveCatalogue, on: record.owner, caller, target: "catalogue:\(code)")
        guard let approved = try await catalogue.approve(code: code, by: caller.user?.id, at: clock.now()) else {
            throw StateConflict(field: "code", "\(code) has no draft awaiting approval")
        }
        return approved
    }

    /// Checks a sample of distribution `index` of `code`'s approved entry (`SampleCheck.of`), sent
    /// by the owner's reporters or head; the latest decides the clean quality.
    func checkSample(
        code: String, distribution index: Int, read: () async throws -> [UInt8], _ caller: ServiceCaller
    )
        async throws -> CatalogueRecord
    {
        let record = try await existing(code)
        try await access.require(.editCatalogue, on: record.owner, caller, target: "catalogue:\(code)")
        guard let entry = record.published else {
            throw StateConflict(
                field: "code", "\(code) is not yet approved: a sample is checked against the approved entry")
        }
        guard entry.distributions.indices.contains(index) else {
            throw ValidationFailure([
                RowError(
                    line: nil, column: "distribution",
                    en: "\(code) has \(entry.distributions.count) distributions, numbered from 0",
                    vi: "\(code) có \(entry.distributions.count) phân phối, đánh số từ 0")
            ])
        }
        let check = try SampleCheck.of(
            try await read(), distribution: entry.distributions[index], on: clock.todayInHanoi())
        try await catalogue.recordSample(check, code: code, distribution: index, by: caller.user?.id, at: clock.now())
        return try await catalogue.record(code: code) ?? record
    }

    /// A committee analyst's audit of `code`.
    func recordAudit(_ draft: AuditDraft, code: String, _ caller: ServiceCaller) async throws -> CatalogueRecord {
        let record = try await existing(code)
        try await access.require(.auditCatalogue, on: record.owner, caller, target: "catalogue:\(code)")
        try await catalogue.recordAudit(
            try draft.audit(today: clock.todayInHanoi()), code: code, by: caller.user?.id, at: clock.now())
        return try await catalogue.record(code: code) ?? record
    }

    /// Declares how many records the committee expects `code` to hold (nil: none).
    func expect(_ records: Int?, code: String, _ caller: ServiceCaller) async throws -> CatalogueRecord {
        let record = try await existing(code)
        try await access.require(.auditCatalogue, on: record.owner, caller, target: "catalogue:\(code)")
        if let records, !(0...CatalogueDraft.maximumRecords).contains(records) {
            throw ValidationFailure([
                RowError(
                    line: nil, column: "records", en: "from 0 to \(CatalogueDraft.maximumRecords)",
                    vi: "từ 0 đến \(CatalogueDraft.maximumRecords)")
            ])
        }
        try await catalogue.expect(records, code: code)
        return try await catalogue.record(code: code) ?? record
    }

    /// Declares how many databases each kind of unit, or a unit, is expected to keep, and by
    /// when (committee roles, on the committee's unit).
    func setExpectations(
        _ expectations: CatalogueExpectations, _ caller: ServiceCaller
    ) async throws
        -> CatalogueExpectations
    {
        guard let root = try await units.root() else { throw AppError.notFound("the unit tree has no committee") }
        try await access.require(.auditCatalogue, on: root, caller, target: "catalogue-expectations")
        let checked = try expectations.checked()
        for unit in checked.byUnit.keys.sorted() where try await units.get(code: unit) == nil {
            throw ValidationFailure([
                RowError(
                    line: nil, column: "byUnit.\(unit)", en: "no unit has code \"\(unit)\"",
                    vi: "không có đơn vị mã \"\(unit)\"")
            ])
        }
        try await completions.setExpectations(checked)
        return checked
    }

    /// A unit's catalogue against what is expected of it, its own and with the units below it,
    /// as of today.
    func completion(
        of unit: String
    ) async throws -> (
        expectations: CatalogueExpectations, own: CatalogueCompletion, subtree: CatalogueCompletion
    ) {
        let today = clock.todayInHanoi()
        let figures = try await kept.part("catalogue-completion-\(today)", reads: [.catalogue]) {
            try await completions.figures(asOf: today)
        }
        return (
            figures.expectations, figures.own[unit] ?? CatalogueCompletion(),
            figures.subtree[unit] ?? CatalogueCompletion()
        )
    }

    /// The database `code`, or 404.
    func existing(_ code: String) async throws -> CatalogueRecord {
        guard let record = try await catalogue.record(code: code) else {
            throw AppError.notFound("no database has code \"\(code)\"")
        }
        return record
    }

    /// Whether `principal` may read what `owner` has not yet published (its drafts).
    func readsDrafts(_ principal: Principal, of owner: String) async throws -> Bool {
        try await access.may(principal, .readInternal, on: owner)
    }

    func assessed(_ record: CatalogueRecord) -> AssessedDatabase? {
        record.published.map { AssessedDatabase($0, record.evidence, today: clock.todayInHanoi()) }
    }
}

/// An entry with what is computed of it: the four qualities, the metadata score and the class.
struct AssessedDatabase: Sendable {
    let entry: CatalogueEntry
    let qualities: DatabaseQualities
    let score: MetadataScore
    let databaseClass: DatabaseClass

    init(_ entry: CatalogueEntry, _ evidence: QualityEvidence, today: CivilDate) {
        self.entry = entry
        qualities = DatabaseQualities.of(entry, evidence, today: today)
        score = MetadataScore.of(entry, probes: evidence.probes)
        databaseClass = DatabaseClass.of(qualities, score: score)
    }
}
