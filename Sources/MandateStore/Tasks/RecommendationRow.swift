import Foundation
import MandateCore
import SQLKit

/// A row of `recommendations`.
struct RecommendationRow: Decodable {
    var id: String
    var fromUnit: String
    var toUnit: String
    var title: String
    var body: String
    var dueDate: String
    var raisedBy: String?
    var raisedAt: String
    var signedOffAt: String?
    var signedOffBy: String?
    var answer: String?
    var answeredBy: String?
    var answeredAt: String?
    var illustrative: Bool

    static let columns = [
        "id", "from_unit", "to_unit", "title", "body", "due_date", "raised_by", "raised_at", "signed_off_at",
        "signed_off_by", "answer", "answered_by", "answered_at", "illustrative",
    ]

    var recommendation: Recommendation? {
        guard let due = CivilDate(iso: dueDate) else { return nil }
        return Recommendation(
            id: id, fromUnit: fromUnit, toUnit: toUnit, title: title, body: body, due: due, raisedBy: raisedBy,
            raisedAt: raisedAt, signedOffAt: signedOffAt, signedOffBy: signedOffBy, answer: answer,
            answeredBy: answeredBy, answeredAt: answeredAt,
            illustrative: illustrative)
    }

    static func fetch(id: String, on db: any SQLDatabase) async throws -> Recommendation? {
        try await db.select().columns(columns).from("recommendations").where("id", .equal, id)
            .first(decoding: RecommendationRow.self, keyDecodingStrategy: .snakeCaseColumns)?.recommendation
    }

    static func insert(_ recommendations: [Recommendation], on db: any SQLDatabase) async throws {
        for batch in recommendations.chunked(into: 500) {
            var insert = db.insert(into: "recommendations").columns(columns)
            for r in batch {
                insert = insert.values(
                    [
                        r.id, r.fromUnit, r.toUnit, r.title, r.body, r.due.description, r.raisedBy, r.raisedAt,
                        r.signedOffAt, r.signedOffBy, r.answer, r.answeredBy, r.answeredAt, r.illustrative,
                    ] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }
}
