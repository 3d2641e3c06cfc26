import Foundation
import Testing

@testable import MandateCore

@Suite struct PublishedFactTests {
    @Test func canonicalBytesAreSortedCompactJSON() throws {
        let fact = try PublishedFact(
            kind: .approvedValue, key: "approved-value/DTI-01/01/2026Q1/1",
            fields: [
                "value": "12.5", "unit": "01", "indicator": "DTI-01", "period": "2026Q1", "evidence": "sha256:ab/cd",
            ])
        let text = String(decoding: fact.canonicalBytes, as: UTF8.self)
        #expect(
            text
                == #"{"fields":{"evidence":"sha256:ab/cd","indicator":"DTI-01","period":"2026Q1","unit":"01","value":"12.5"},"key":"approved-value/DTI-01/01/2026Q1/1","kind":"approved-value","v":1}"#
        )
        #expect(PublishedFact(canonicalBytes: fact.canonicalBytes) == fact)
        #expect(fact.leafHash == MerkleHash.leafHash(of: Data(text.utf8)))
    }

    @Test func nonCanonicalBytesAreNotAFact() {
        let spaced = Data(#"{"fields":{}, "key":"k","kind":"approved-value","v":1}"#.utf8)
        #expect(PublishedFact(canonicalBytes: spaced) == nil)
    }

    @Test func personalDataAndHugeFactsAreRefused() {
        #expect(throws: ValidationFailure.self) {
            try PublishedFact(kind: .acceptedReport, key: "r/1", fields: ["email": "a@b.vn"])
        }
        #expect(throws: ValidationFailure.self) {
            try PublishedFact(
                kind: .acceptedReport, key: "r/1", fields: ["narrative": String(repeating: "x", count: 70_000)])
        }
        #expect(throws: ValidationFailure.self) { try PublishedFact(kind: .acceptedReport, key: "", fields: [:]) }
    }
}
