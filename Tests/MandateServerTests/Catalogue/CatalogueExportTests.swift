import Logging
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// The export writes each database's kept statements while they still say what its approved
/// version and its publisher say, and renders again those that no longer do.
@Suite struct CatalogueExportTests {
    static let logger = Logger(label: "mandate.test")

    static func entry(_ code: String, name: String) -> CatalogueEntry {
        CatalogueEntry(
            code: code, owner: "01", level: .local, nameVi: name, nameEn: "", descriptionVi: "", descriptionEn: "",
            legalBasis: DatabaseLegalBasis(document: "", link: ""), themes: [.regions], recordCount: 10,
            recordCountDate: CivilDate(year: 2026, month: 1, day: 1), frequency: .annual,
            lastUpdate: CivilDate(year: 2026, month: 1, day: 1), connectedSince: nil, access: .open,
            accessBasis: "", distributions: [Distribution(accessURL: "https://a.example.vn/", format: .csv)],
            contactEmail: "")
    }

    @Test func keptStatementsAreWrittenUntilTheEntryOrItsPublisherChanges() async throws {
        try await DatabaseConnector.withDatabase(.sqliteMemory, logger: Self.logger) { database in
            let store = Store(database: database)
            try await store.prepare(demo: false, logger: Self.logger)
            let catalogue = store.catalogue
            _ = try await catalogue.saveDrafts(
                [(Self.entry("HN-A", name: "Đất đai"), nil), (Self.entry("HN-B", name: "Dân cư"), nil)], by: nil,
                at: "2026-02-01T00:00:00Z")
            for code in ["HN-A", "HN-B"] {
                _ = try await catalogue.approve(code: code, by: nil, at: "2026-02-02T00:00:00Z")
            }
            var hanoi = DCATExport.Publisher(code: "01", nameVi: "Hà Nội", nameEn: "Ha Noi", national: false)
            let written = { @Sendable (publisher: DCATExport.Publisher) in
                try await CatalogueExport.renderings(
                    try await catalogue.exportRows(format: .turtle, after: nil, batch: 10, owner: nil), format: .turtle,
                    catalogue: catalogue, owner: { _ in publisher }, logger: Self.logger
                ).written
            }
            let text = { (renderings: [DCATExport.Rendering]) in
                renderings.map { String(decoding: $0.body, as: UTF8.self) }
            }

            // Never rendered: rendered, written, and kept.
            let first = try await written(hanoi)
            #expect(first.map(\.code) == ["HN-A", "HN-B"] && text(first)[0].contains("\"Đất đai\"@vi"))
            let kept = try await catalogue.exportRows(format: .turtle, after: nil, batch: 10, owner: nil)
            #expect(kept.map(\.rendering) == first)

            // What is kept is what is written: a kept body stands for the entry while it holds.
            var marked = first[0]
            marked.body = Array("<catalogue/HN-A#dataset> a dcat:Dataset .\n\n".utf8)
            try await catalogue.keep([marked])
            #expect(try await written(hanoi)[0] == marked)

            // A new version, or a renamed publisher, is rendered again.
            _ = try await catalogue.saveDrafts(
                [(Self.entry("HN-A", name: "Địa chính"), nil)], by: nil, at: "2026-02-03T00:00:00Z")
            _ = try await catalogue.approve(code: "HN-A", by: nil, at: "2026-02-04T00:00:00Z")
            let second = try await written(hanoi)
            #expect(second[0].version == 2 && text(second)[0].contains("\"Địa chính\"@vi"))
            #expect(second[1] == first[1])
            hanoi.nameEn = "Hanoi"
            let renamed = try await written(hanoi)
            #expect(text(renamed).allSatisfy { $0.contains("\"Hanoi\"@en") })
            #expect(renamed.allSatisfy { $0.publisher == hanoi.mark })
        }
    }
}
