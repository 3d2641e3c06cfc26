import Foundation
import MandateCore
import SQLKit

/// The feedback facts the transparency log holds, derived afresh from the rows (for the open
/// list of facts an auditor checks against the log): every accepted rating, oldest first, then
/// every stage of every answer, by comment reference.
extension SQLFeedbackRepository {
    public func factCount() async throws -> Int {
        try await database.read { db in
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS ratings, \
                COUNT(interim_at) + COUNT(answered_at) + COUNT(appeal_answered_at) AS answers FROM feedback
                """
            ).first()
            guard let row else { return 0 }
            return try row.decode(column: "ratings", as: Int.self) + row.decode(column: "answers", as: Int.self)
        }
    }

    public func facts(limit: Int, offset: Int) async throws -> [PublishedFact] {
        try await database.read { db in
            let ratings = try await db.select().columns(FeedbackRow.columns).from("feedback")
                .orderBy("received_at").orderBy("receipt").limit(limit).offset(offset).all()
                .compactMap(FeedbackRow.decode)
            var facts = try ratings.map { try $0.acceptedFact() }
            guard facts.count < limit else { return facts }
            let ratingCount =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("feedback").first(decodingColumn: "n", as: Int.self) ?? 0
            let answered = try await db.select().columns(FeedbackRow.columns).from("feedback")
                .where("reference", .isNot, SQLLiteral.null).where { any in
                    any.where("interim_at", .isNot, SQLLiteral.null).orWhere("answered_at", .isNot, SQLLiteral.null)
                        .orWhere("appeal_answered_at", .isNot, SQLLiteral.null)
                }
                .orderBy("reference").all().compactMap(FeedbackRow.decode)
            let answers = try answered.flatMap { try $0.answerFacts() }
            let skip = max(0, offset - ratingCount)
            facts += answers.dropFirst(skip).prefix(limit - facts.count)
            return facts
        }
    }
}
