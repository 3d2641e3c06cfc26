import Foundation
import MandateCore
import Testing

@testable import MandateServer

/// Every user-visible string is in both catalogues, Vietnamese and English.
@Suite struct CataloguesTests {
    @Test func bothLanguagesHaveTheSameKeysAndNoEmptyText() throws {
        let catalogues = try Catalogues.load()
        let vi = catalogues.table(.vi)
        let en = catalogues.table(.en)
        #expect(Set(vi.keys).subtracting(en.keys).sorted() == [])
        #expect(Set(en.keys).subtracting(vi.keys).sorted() == [])
        #expect(vi.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
        #expect(en.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
    }

    /// The open data's titles and data dictionary come from the catalogues, not from the code.
    @Test func everyOpenDatasetAndColumnIsDescribedInBothLanguages() throws {
        let catalogues = try Catalogues.load()
        for language in Language.allCases {
            let table = catalogues.table(language)
            for dataset in OpenData.datasets {
                let key = "openData_\(dataset.name.replacingOccurrences(of: "-", with: "_"))"
                #expect(table[key] != nil, "\(language): \(key)")
                for column in dataset.columns {
                    #expect(table["\(key)__\(column.name)"] != nil, "\(language): \(key)__\(column.name)")
                }
            }
        }
    }
}
