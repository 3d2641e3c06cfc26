import Foundation
import MandateCore
import Testing

@testable import MandateStore

/// The catalogue kept alike on both engines: a draft is not public until approved, each approval
/// is a version in the history, an import is all or nothing, the listing's filters and search,
/// and the latest audit.
@Suite struct CatalogueRepositoryTests {
    static func entry(_ code: String, owner: String = "01", name: String = "Cơ sở dữ liệu đất đai") -> CatalogueEntry {
        CatalogueEntry(
            code: code, owner: owner, level: .local, nameVi: name, nameEn: "Land", descriptionVi: "", descriptionEn: "",
            legalBasis: DatabaseLegalBasis(document: "", link: ""), themes: [.agriculture, .regions],
            recordCount: 10, recordCountDate: CivilDate(year: 2026, month: 1, day: 1), frequency: .annual,
            lastUpdate: CivilDate(year: 2026, month: 1, day: 1), connectedSince: nil, access: .shared,
            accessBasis: "", distributions: [Distribution(accessURL: "https://a.example.vn/", format: .csv)],
            contactEmail: "")
    }

    @Test(arguments: TestDatabase.available)
    func aDraftIsPublicOnlyOnceApprovedAndEachApprovalIsAVersion(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            let saved = try await catalogue.saveDrafts(
                [(Self.entry("HN-DD"), nil)], by: "u1", at: "2026-02-01T00:00:00Z")
            #expect(saved.map(\.version) == [0] && saved[0].published == nil && saved[0].draft == Self.entry("HN-DD"))
            #expect(try await catalogue.list(CatalogueQuery()).total == 0)
            #expect(try await catalogue.published(after: nil, batch: 10, owners: nil).isEmpty)

            let first = try #require(try await catalogue.approve(code: "HN-DD", by: "h1", at: "2026-02-02T00:00:00Z"))
            #expect(first.version == 1 && first.published == Self.entry("HN-DD") && first.draft == nil)
            #expect(try await catalogue.approve(code: "HN-DD", by: "h1", at: "2026-02-02T00:00:01Z") == nil)

            var renamed = Self.entry("HN-DD")
            renamed.nameVi = "Cơ sở dữ liệu địa chính"
            _ = try await catalogue.saveDrafts([(renamed, nil)], by: "u1", at: "2026-02-03T00:00:00Z")
            #expect(try await catalogue.record(code: "HN-DD")?.published == Self.entry("HN-DD"))
            _ = try await catalogue.approve(code: "HN-DD", by: "h1", at: "2026-02-04T00:00:00Z")
            let history = try await catalogue.history(code: "HN-DD")
            #expect(history.map(\.version) == [2, 1])
            #expect(history.map(\.entry.nameVi) == ["Cơ sở dữ liệu địa chính", "Cơ sở dữ liệu đất đai"])
            #expect(history.map(\.publishedBy) == ["h1", "h1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theListingFiltersSearchesAndPages(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            var open = Self.entry("HN-MO", name: "Danh sách hộ kinh doanh")
            open.access = .open
            open.themes = [.economy]
            let commune = Self.entry("BD-DD", owner: "00004", name: "Đất đai phường Ba Đình")
            let ministry = Self.entry("BCA-DC", owner: "BCA", name: "Dân cư")
            _ = try await catalogue.saveDrafts(
                [(Self.entry("HN-DD"), nil), (open, nil), (commune, "01"), (ministry, "BCD")], by: nil,
                at: "2026-02-01T00:00:00Z")
            for code in ["HN-DD", "HN-MO", "BD-DD", "BCA-DC"] {
                _ = try await catalogue.approve(code: code, by: nil, at: "2026-02-02T00:00:00Z")
            }
            let codes = { (query: CatalogueQuery) in try await catalogue.list(query).items.map(\.code) }
            #expect(try await codes(CatalogueQuery()) == ["BCA-DC", "BD-DD", "HN-DD", "HN-MO"])
            #expect(try await codes(CatalogueQuery(unit: "01")) == ["BD-DD", "HN-DD", "HN-MO"])
            #expect(try await codes(CatalogueQuery(theme: .economy)) == ["HN-MO"])
            #expect(try await codes(CatalogueQuery(theme: .regions)) == ["BCA-DC", "BD-DD", "HN-DD"])
            #expect(try await codes(CatalogueQuery(access: .open)) == ["HN-MO"])
            #expect(try await codes(CatalogueQuery(text: "DAT DAI")) == ["BD-DD", "HN-DD"])
            #expect(try await codes(CatalogueQuery(text: "ba dinh đất")) == ["BD-DD"])
            #expect(try await codes(CatalogueQuery(text: "50%_")) == [])
            let page = try await catalogue.list(CatalogueQuery(limit: 2, offset: 1))
            #expect(page.items.map(\.code) == ["BD-DD", "HN-DD"] && page.total == 4)
            #expect(
                try await catalogue.published(after: "BD-DD", batch: 10, owners: ["01", "BCA"]).map(\.code) == [
                    "HN-DD", "HN-MO",
                ])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSearchCountsUpToAThousandPastItsPage(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = try #require(store.catalogue as? SQLCatalogueRepository)
            let entries = (1...1_100).map { n in
                (entry: Self.entry(String(format: "HN-%04d", n)), ownerParent: String?.none, expected: Int?.none)
            }
            try await catalogue.load(entries, at: "2026-02-01T00:00:00Z")
            // Without words, every match is counted.
            let all = try await catalogue.list(CatalogueQuery(limit: 50))
            #expect(all.total == 1_100 && !CatalogueQuery(limit: 50).isLowerBound(all.total))
            // A search stops counting 1,000 past its page, and says so.
            let first = CatalogueQuery(text: "dat dai", limit: 50)
            let page = try await catalogue.list(first)
            #expect(first.countCeiling == 1_050 && page.total == 1_050 && first.isLowerBound(page.total))
            #expect(page.items.map(\.code) == (1...50).map { String(format: "HN-%04d", $0) })
            let later = CatalogueQuery(text: "dat dai", limit: 50, offset: 100)
            let rest = try await catalogue.list(later)
            #expect(rest.total == 1_100 && !later.isLowerBound(rest.total))
            #expect(try await catalogue.list(CatalogueQuery(text: "khong co", limit: 50)).total == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRenderingIsKeptPerFormatAndReadOnlyForItsVersion(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            _ = try await catalogue.saveDrafts(
                [(Self.entry("HN-DD"), nil), (Self.entry("HN-MO"), nil), (Self.entry("BCA-DC", owner: "BCA"), nil)],
                by: nil, at: "2026-02-01T00:00:00Z")
            for code in ["HN-DD", "BCA-DC"] {
                _ = try await catalogue.approve(code: code, by: nil, at: "2026-02-02T00:00:00Z")
            }
            var rows = try await catalogue.exportRows(format: .turtle, after: nil, batch: 10, owner: nil)
            #expect(
                rows.map(\.code) == ["BCA-DC", "HN-DD"] && rows.allSatisfy { $0.rendering == nil && $0.version == 1 })
            #expect(
                try await catalogue.exportRows(format: .turtle, after: "BCA-DC", batch: 10, owner: "01").map(\.code)
                    == ["HN-DD"])

            let approved = try await catalogue.approvedEntries(codes: ["HN-DD", "HN-MO", "NOPE"])
            #expect(approved.keys.sorted() == ["HN-DD"] && approved["HN-DD"]?.version == 1)
            let body = Array("<catalogue/HN-DD#dataset> dct:title \"Đất đai\"@vi .\n".utf8)
            let kept = DCATExport.Rendering(code: "HN-DD", format: .turtle, version: 1, publisher: "mark", body: body)
            try await catalogue.keep([kept])
            rows = try await catalogue.exportRows(format: .turtle, after: nil, batch: 10, owner: nil)
            #expect(rows.map(\.rendering) == [nil, kept])
            #expect(
                try await catalogue.exportRows(format: .jsonLD, after: nil, batch: 10, owner: nil).allSatisfy {
                    $0.rendering == nil
                })
            try await catalogue.keep([
                DCATExport.Rendering(code: "HN-DD", format: .turtle, version: 1, publisher: "new", body: [65])
            ])
            #expect(
                try await catalogue.exportRows(format: .turtle, after: "BCA-DC", batch: 10, owner: nil).first?
                    .rendering?.publisher == "new")

            // A new version leaves the rendering of the old one unread.
            _ = try await catalogue.saveDrafts([(Self.entry("HN-DD"), nil)], by: nil, at: "2026-02-03T00:00:00Z")
            _ = try await catalogue.approve(code: "HN-DD", by: nil, at: "2026-02-04T00:00:00Z")
            rows = try await catalogue.exportRows(format: .turtle, after: "BCA-DC", batch: 10, owner: nil)
            #expect(rows.map(\.version) == [2] && rows[0].rendering == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theLatestAuditAndTheExpectedCountAreKept(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            _ = try await catalogue.saveDrafts([(Self.entry("HN-DD"), nil)], by: nil, at: "2026-02-01T00:00:00Z")
            let day = { (d: Int) in CivilDate(year: 2026, month: 3, day: d)! }
            try await catalogue.recordAudit(
                DatabaseAudit(auditedOn: day(5), sampled: 100, wrong: 9, passed: false, findings: "", evidence: ""),
                code: "HN-DD", by: nil, at: "2026-03-05T00:00:00Z")
            try await catalogue.recordAudit(
                DatabaseAudit(auditedOn: day(20), sampled: 100, wrong: 1, passed: true, findings: "", evidence: ""),
                code: "HN-DD", by: nil, at: "2026-03-20T00:00:00Z")
            try await catalogue.expect(5_000_000_000, code: "HN-DD")
            let record = try #require(try await catalogue.record(code: "HN-DD"))
            #expect(record.audit?.auditedOn == day(20) && record.audit?.passed == true)
            #expect(record.expectedRecords == 5_000_000_000)
            await #expect(throws: RecordNotFound.self) { try await catalogue.expect(1, code: "NOPE") }
        }
    }

    @Test(arguments: TestDatabase.available)
    func probesAreKeptAndALeaseHasOneHolder(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            _ = try await catalogue.saveDrafts([(Self.entry("HN-DD"), nil)], by: nil, at: "2026-02-01T00:00:00Z")
            #expect(try await catalogue.linksDue(checkedBefore: "2026-03-01T00:00:00Z", limit: 10).isEmpty)
            _ = try await catalogue.approve(code: "HN-DD", by: nil, at: "2026-02-02T00:00:00Z")
            let link = "https://a.example.vn/"
            #expect(try await catalogue.linksDue(checkedBefore: "2026-03-01T00:00:00Z", limit: 10) == [link])
            try await catalogue.record([
                LinkProbe(url: link, checkedAt: "2026-03-02T00:00:00Z", status: 500, answered: false)
            ])
            try await catalogue.record([
                LinkProbe(url: link, checkedAt: "2026-03-03T00:00:00Z", status: 200, answered: true)
            ])
            #expect(try await catalogue.linksDue(checkedBefore: "2026-03-03T00:00:00Z", limit: 10).isEmpty)
            #expect(try await catalogue.linksDue(checkedBefore: "2026-03-04T00:00:00Z", limit: 10) == [link])
            #expect(try await catalogue.record(code: "HN-DD")?.probes[link]?.status == 200)
            #expect(try await catalogue.probes(of: link, limit: 10).map(\.status) == [200, 500])

            #expect(
                try await catalogue.lease(
                    "probe", holder: "a", until: "2026-03-03T01:00:00Z", now: "2026-03-03T00:00:00Z"))
            #expect(
                !(try await catalogue.lease(
                    "probe", holder: "b", until: "2026-03-03T01:30:00Z", now: "2026-03-03T00:30:00Z")))
            #expect(
                try await catalogue.lease(
                    "probe", holder: "a", until: "2026-03-03T02:00:00Z", now: "2026-03-03T00:45:00Z"))
            #expect(
                try await catalogue.lease(
                    "probe", holder: "b", until: "2026-03-03T03:00:00Z", now: "2026-03-03T02:00:01Z"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func completionRollsUpTheTreeAndIsADeliveryMeasure(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let catalogue = store.catalogue
            var complete = Self.entry("BD-DD", owner: "00004")
            complete.nameEn = "Land"
            complete.descriptionVi = "Mô tả"
            complete.legalBasis.document = "Quyết định"
            complete.accessBasis = "Luật Dữ liệu"
            complete.contactEmail = "csdl@hanoi.gov.vn"
            let incomplete = Self.entry("HN-DD")
            _ = try await catalogue.saveDrafts(
                [(complete, "01"), (incomplete, "BCD")], by: nil, at: "2026-03-01T00:00:00Z")
            _ = try await catalogue.approve(code: "BD-DD", by: nil, at: "2026-03-02T00:00:00Z")
            _ = try await catalogue.approve(code: "HN-DD", by: nil, at: "2026-03-02T00:00:00Z")
            let completions = CatalogueCompletions(catalogue: catalogue, units: store.units, settings: store.settings)
            try await completions.setExpectations(
                CatalogueExpectations(byKind: ["commune": 1], byUnit: ["01": 2]))
            let figures = try await completions.figures(asOf: CivilDate(year: 2026, month: 6, day: 1)!)
            #expect(figures.own["01"]?.expected == 2 && figures.own["01"]?.declared == 1)
            #expect(figures.own["01"]?.complete == 0)
            #expect(figures.own["00004"]?.complete == 1 && figures.own["00004"]?.byDeadline == 1)
            let hanoi = try #require(figures.subtree["01"])
            let communes = try await store.units.list(UnitQuery(parentCode: "01", limit: 10_000)).total
            #expect(hanoi.expected == 2 + communes && hanoi.completeCounted == 1 && hanoi.declared == 2)
            let before = try await completions.figures(asOf: CivilDate(year: 2026, month: 3, day: 1)!)
            #expect(before.subtree["01"]?.declared == 0)

            let measures = try await store.delivery.measures(
                kind: .province, period: try Period("2026"), wanted: [.catalogueCompletion])
            let rate = try #require(measures["01"]?[.catalogueCompletion])
            #expect(abs(rate - 100.0 / Double(2 + communes)) < 1e-9)
            #expect(measures["01"]?[.catalogueLiving] == nil)
            #expect(try await store.delivery.measures(kind: .province, period: try Period("2026"), wanted: []).isEmpty)
        }
    }
}
