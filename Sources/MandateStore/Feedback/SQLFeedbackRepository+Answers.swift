import Foundation
import MandateCore
import SQLKit

/// The unit's answers, the citizen's rating of them, and the appeal.
extension SQLFeedbackRepository {
    public func answer(reference: String, _ text: String, interim: Bool, by actor: Actor) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("reference", reference, on: db) else { return nil }
            let next = try stored.answered(text, interim: interim, at: actor.at)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            var update = db.update("feedback")
            if stored.appealUnit != nil {
                update = update.set("appeal_answer", to: next.appealAnswer)
                    .set("appeal_answered_at", to: next.appealAnsweredAt).set("appeal_answered_by", to: actor.userId)
            } else if interim {
                update = update.set("interim", to: next.interim).set("interim_at", to: next.interimAt)
                    .set("interim_by", to: actor.userId)
            } else {
                update = update.set("answer", to: next.answer).set("answered_at", to: next.answeredAt)
                    .set("answered_by", to: actor.userId)
            }
            try await update.where("reference", .equal, reference).run()
            let stage: Feedback.AnswerStage = stored.appealUnit != nil ? .appeal : interim ? .interim : .answer
            if let fact = try next.answerFact(stage) {
                _ = try await SQLTransparencyLog.append([fact], at: actor.at, in: db)
            }
            return next
        }
    }

    public func rateAnswer(receipt: String, score: Int, parent: String?, at now: String) async throws -> Feedback? {
        try await database.transaction { db in
            guard let stored = try await FeedbackRow.fetch("receipt", receipt, on: db) else { return nil }
            let next = try stored.ratedAnswer(score, parent: parent, at: now)
            let tree = try await database.units.current(on: db)
            ChangeRecorder.note(.rating(unit: next.unit, ancestors: tree.ancestors(of: next.unit)))
            try await db.update("feedback").set("answer_rating", to: next.answerRating)
                .set("appeal_unit", to: next.appealUnit).set("appealed_at", to: next.appealedAt)
                .where("receipt", .equal, receipt).run()
            return next
        }
    }

    public func answeredOnTimeRates(on day: CivilDate) async throws -> [String: Double] {
        try await database.read { db in
            let published = try await db.select().columns(FeedbackRow.columns).from("feedback")
                .where("published_at", .isNot, SQLLiteral.null).all().compactMap(FeedbackRow.decode)
            return Feedback.answeredOnTimeRates(published, on: day)
        }
    }

    public func awaitingAnswer(units: [String]?, limit: Int) async throws -> [Feedback] {
        try await database.read { db in
            // The unit's own answer, or on appeal the parent unit's (`Feedback.answeringUnit`).
            let select = db.select().columns(FeedbackRow.columns).from("feedback")
                .where("state", .equal, FeedbackState.published.rawValue).where { waiting in
                    waiting.where { own in
                        var own = own.where("answered_at", .is, SQLLiteral.null)
                        if let units { own = own.where("unit_code", .in, units) }
                        return own
                    }.orWhere { appeal in
                        var appeal = appeal.where("appeal_unit", .isNot, SQLLiteral.null)
                            .where("appeal_answered_at", .is, SQLLiteral.null)
                        if let units { appeal = appeal.where("appeal_unit", .in, units) }
                        return appeal
                    }
                }
            return try await select.orderBy("published_at").orderBy("receipt").limit(limit).all()
                .compactMap(FeedbackRow.decode)
        }
    }
}
