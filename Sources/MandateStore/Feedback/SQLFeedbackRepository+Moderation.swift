import Foundation
import MandateCore
import SQLKit

/// Moderation: decisions, readers' reports, the queue, and what is published or hidden.
extension SQLFeedbackRepository {
    public func moderate(reference: String, _ decision: ModerationDecision, by actor: Actor) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db) else { return nil }
            let next = try stored.moderated(decision, at: actor.at)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            try await db.update("feedback").set("state", to: next.state.rawValue)
                .set("hidden_reason", to: next.hiddenReason?.rawValue).set("reports", to: next.reports)
                .set("moderated_at", to: actor.at).set("moderated_by", to: actor.userId)
                .set("published_at", to: next.publishedAt).where("reference", .equal, reference).run()
            return next
        }
    }

    public func report(reference: String) async throws -> Bool {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db), stored.takesReports else {
                return false
            }
            // The queue is the committee's and the unit head's: nothing public changes.
            ChangeRecorder.note(.nothingPublic)
            try await db.update("feedback").set("reports", to: SQLRaw("reports + 1"))
                .where("reference", .equal, reference).run()
            return true
        }
    }

    public func moderationQueue(units: [String]?, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            var select = db.select().columns(FeedbackRow.columns).from("feedback").where { awaiting in
                awaiting.where("state", .equal, FeedbackState.pending.rawValue).orWhere { reported in
                    reported.where("state", .equal, FeedbackState.published.rawValue).where("reports", .greaterThan, 0)
                }
            }
            if let units { select = select.where("unit_code", .in, units) }
            return try await select.orderBy("received_at").orderBy("receipt").limit(limit).all()
                .compactMap(FeedbackRow.decode)
        }
    }

    public func published(unit: String, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            try await db.select().columns(FeedbackRow.columns).from("feedback").where("unit_code", .equal, unit)
                .where("state", .equal, FeedbackState.published.rawValue).orderBy("received_at", .descending)
                .orderBy("receipt", .descending).limit(limit).all().compactMap(FeedbackRow.decode)
        }
    }

    public func hidden(rollingUp unit: String, from: String, through: String) async throws -> [ModerationReason: Int] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT hidden_reason, COUNT(*) AS n FROM feedback \
                WHERE (unit_code = \(bind: unit) OR unit_code IN (SELECT code FROM units WHERE parent_code = \(bind: unit))) \
                AND period >= \(bind: from) AND period <= \(bind: through) AND state = \(bind: FeedbackState.hidden.rawValue) \
                GROUP BY hidden_reason
                """
            ).all()
            var counts: [ModerationReason: Int] = [:]
            for row in rows {
                if let reason = ModerationReason(
                    rawValue: try row.decode(column: "hidden_reason", as: String?.self) ?? "")
                {
                    counts[reason] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }
}
