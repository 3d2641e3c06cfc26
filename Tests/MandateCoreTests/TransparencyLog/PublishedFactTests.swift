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

@Suite struct CanonicalJSONTests {
    /// What the canonical bytes were defined as: `JSONEncoder` with sorted keys and unescaped slashes.
    static func encoderBytes(_ fact: PublishedFact) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(fact)
    }

    @Test func everyASCIICharacterAndSomeUnicodeEncodeAsJSONEncoderDoes() throws {
        var text = ""
        for value in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        text += "\u{85}\u{A0}\u{2028}\u{2029}\u{FEFF}é Hà Nội đ 😀 /\\\""
        let fact = try PublishedFact(kind: .approvedValue, key: "k/\(text)", fields: ["value": text, "v\"/\\": "x"])
        #expect(fact.canonicalBytes == (try Self.encoderBytes(fact)))
        #expect(PublishedFact(canonicalBytes: fact.canonicalBytes) == fact)
    }

    @Test func keysSortAsJSONEncoderSortsThem() throws {
        var generator = SystemRandomNumberGenerator()
        let pool = [
            "a", "A", "b", "B", "_", "-", "0", "1", "10", "2", "é", "e", "z", "Z", "đ", "ä", " ", "~", "\u{7F}",
        ]
        for _ in 0..<200 {
            var fields: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                let name = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                    pool.randomElement(using: &generator) ?? "a"
                }.joined()
                fields[name] = pool.shuffled(using: &generator).joined()
            }
            let fact = try PublishedFact(kind: .publishedRanking, key: "r/\(fields.count)", fields: fields)
            #expect(fact.canonicalBytes == (try Self.encoderBytes(fact)), "\(fields)")
        }
    }
}
