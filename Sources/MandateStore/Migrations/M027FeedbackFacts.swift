import Foundation
import MandateCore
import SQLKit

/// Ratings and answers enter the transparency log (`Feedback.acceptedFact`, `answerFact`): those
/// kept before are logged now, in the order the open list of facts gives them, and that list
/// pages through the ratings by an index on their order.
struct M027FeedbackFacts: Migration {
    let name = "027-feedback-facts"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.raw("CREATE INDEX feedback_received ON feedback (received_at, receipt)").run()
        let kept = try await db.select().columns(FeedbackRow.columns).from("feedback")
            .orderBy("received_at").orderBy("receipt").all().compactMap(FeedbackRow.decode)
        guard !kept.isEmpty else { return }
        let answers = try kept.sorted { ($0.reference ?? "") < ($1.reference ?? "") }.flatMap { try $0.answerFacts() }
        let now = Timestamp.string(Date())
        _ = try await SQLTransparencyLog.append(try kept.map { try $0.acceptedFact() } + answers, at: now, in: db)
    }
}
