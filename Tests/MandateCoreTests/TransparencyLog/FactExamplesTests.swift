import Foundation
import Testing

@testable import MandateCore

/// docs/TRANSPARENCY.md gives one worked example leaf per kind of fact, with its inputs: the code
/// must produce exactly those bytes from those inputs, so that the document stays the
/// specification an auditor recomputes leaves from.
@Suite struct FactExamplesTests {
    /// Every leaf docs/TRANSPARENCY.md shows (a fenced `json` block holding a fact's canonical
    /// bytes), by kind.
    static func documentedLeaves() throws -> [PublishedFact.Kind: [String]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/TRANSPARENCY.md"), encoding: .utf8)
        var leaves: [PublishedFact.Kind: [String]] = [:]
        for block in text.components(separatedBy: "```json\n").dropFirst() {
            guard let leaf = block.components(separatedBy: "\n```").first,
                let fact = PublishedFact(canonicalBytes: Data(leaf.utf8))
            else { continue }
            leaves[fact.kind, default: []].append(leaf)
        }
        return leaves
    }

    /// The inputs docs/TRANSPARENCY.md states for each example.
    static func examples() throws -> [PublishedFact.Kind: PublishedFact] {
        // An accepted report: two files uploaded as danh-muc.txt then bien-ban.txt, listed by
        // name; one link; recorded as not illustrative, on an illustrative task.
        let report = TaskReport(
            id: "5b0e3c1a-7d2f-4e8b-9a61-2f3c4d5e6f70", task: "NQ57-CSDL-01", unit: "01", percent: 100,
            narrative: "Đã hoàn thành danh mục cơ sở dữ liệu.", links: ["https://hanoi.gov.vn/bao-cao/57"],
            files: [
                EvidenceFile(
                    sha256: SHA256Hex.of(Data("biên bản nghiệm thu".utf8)), name: "bien-ban.txt",
                    contentType: "text/plain", size: 24),
                EvidenceFile(
                    sha256: SHA256Hex.of(Data("danh mục".utf8)), name: "danh-muc.txt", contentType: "text/plain",
                    size: 9),
            ], state: .accepted, createdBy: nil, createdAt: "2026-03-28T08:00:00.000Z",
            submittedAt: "2026-03-30T09:15:00.000Z", decidedAt: "2026-04-02T10:00:00.000Z", illustrative: false)
        // An approved value, with a file's SHA-256 as its evidence, first reported on time.
        let value = DataValue(
            indicator: "DTI-01", unit: "01", period: "2026Q1", value: 12.50,
            evidence: "sha256:" + SHA256Hex.of(Data("Báo cáo quý I".utf8)), status: .approved, enteredBy: nil,
            enteredAt: "2026-04-08T03:00:00.000Z", firstReportedAt: "2026-04-08T03:00:00.000Z", late: false,
            approvedAt: "2026-04-10T08:00:00.000Z")
        // A ranking: one pillar of one indicator, two provinces, compared with 2025.
        let method = RankingMethod(
            id: "dti-tinh", version: 1, nameVi: "Chỉ số chuyển đổi số", nameEn: "Digital transformation index",
            unitKind: .province, aggregation: .arithmetic, missingData: .reweight,
            pillars: [
                RankingMethod.Pillar(
                    code: "P1", nameVi: "Thể chế", nameEn: "Institutions", weight: 1,
                    components: [
                        RankingMethod.Component(
                            code: "DTI-01", source: .indicator("DTI-01"), weight: 1, direction: .higher,
                            normalisation: .minMax, alternatives: [])
                    ])
            ], uncertainty: .init(draws: 0))
        let table = RankingTable(period: "2026", values: ["01": ["DTI-01": 12.5], "79": ["DTI-01": 9]], units: [])
        let previous = RankingTable(period: "2025", values: ["01": ["DTI-01": 8], "79": ["DTI-01": 10]], units: [])
        // As publishing does: the result carries the digest of the inputs' canonical CSV.
        var result = try RankingEngine(method: method).rank(table, previous: previous)
        result.inputDigest = RankingTable.digest([table, previous])
        let ranking = PublishedRanking(
            methodId: "dti-tinh", period: "2026", version: 1, method: method, result: result,
            inputDigest: RankingTable.digest([table, previous]), publishedAt: "2026-04-15T02:00:00.000Z")
        // A rating of commune 00004 with two of the five factors and a comment, published the
        // next day and answered a week later (the comment's reference is its public code).
        var rating = Feedback(
            receipt: "K7QF-3M2X-9PAD", unit: "00004", task: nil, overall: 4, factors: [.access: 5, .staff: 4],
            comment: "Thủ tục nhanh, cán bộ tận tình.", state: .published, period: "2026-11",
            receivedAt: "2026-11-20T03:15:00.000Z", reference: "7RD2-WQ4N-H8CE")
        rating.publishedAt = "2026-11-21T02:00:00.000Z"
        rating.answer = "Cảm ơn ý kiến của ông/bà; phường sẽ tiếp tục rút ngắn thời gian xử lý."
        rating.answeredAt = "2026-11-28T08:00:00.000Z"
        return [
            .acceptedRating: try rating.acceptedFact(),
            .publishedAnswer: try #require(try rating.answerFact(.answer)),
            .acceptedReport: try report.publishedFact(onIllustrativeTask: true),
            .approvedValue: try value.publishedFact(illustrative: false),
            .publishedRanking: try ranking.publishedFact(),
        ]
    }

    @Test func everyDocumentedLeafIsWhatTheCodeMakesOfItsStatedInputs() throws {
        let documented = try Self.documentedLeaves()
        for (kind, fact) in try Self.examples() {
            let made = String(decoding: fact.canonicalBytes, as: UTF8.self)
            let leaves = documented[kind] ?? []
            #expect(!leaves.isEmpty, "docs/TRANSPARENCY.md has no example leaf of kind \(kind.rawValue); made \(made)")
            for leaf in leaves {
                #expect(leaf == made, "the documented \(kind.rawValue) leaf is not what the code makes: \(made)")
            }
        }
    }
}
