import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
    // MARK: Recommendations

    public func raise(_ input: RecommendationInput, by actor: Actor, illustrative: Bool) async throws -> Recommendation
    {
        try await changing { db in
            let codes = Set(
                try await db.select().column("code").from("units")
                    .where("code", .in, [input.fromUnit, input.toUnit]).where("active", .equal, true)
                    .all(decodingColumn: "code", as: String.self))
            let today = CivilDate(iso: actor.at) ?? CivilDate(dayNumber: 0)
            let (title, body, due) = try input.check(today: today, isKnownUnit: codes.contains)
            ChangeRecorder.note([.tasks])
            let recommendation = Recommendation(
                id: Self.newId(), fromUnit: input.fromUnit, toUnit: input.toUnit, title: title, body: body, due: due,
                raisedBy: actor.userId, raisedAt: actor.at, illustrative: illustrative)
            try await RecommendationRow.insert([recommendation], on: db)
            return recommendation
        }
    }

    public func answer(_ id: String, text: String, by actor: Actor) async throws -> Recommendation {
        let text = try Recommendation.answerText(text)
        return try await changing { db in
            guard let recommendation = try await RecommendationRow.fetch(id: id, on: db) else {
                throw RecordNotFound("no recommendation has id \(id)")
            }
            if let refusal = recommendation.answerRefusal { throw refusal }
            ChangeRecorder.note([.tasks])
            try await db.update("recommendations").set("answer", to: text).set("answered_by", to: actor.userId)
                .set("answered_at", to: actor.at).where("id", .equal, id).run()
            guard let answered = try await RecommendationRow.fetch(id: id, on: db) else { throw RecordNotFound(id) }
            return answered
        }
    }

    public func recommendation(_ id: String) async throws -> Recommendation? {
        try await database.read { db in try await RecommendationRow.fetch(id: id, on: db) }
    }

    public func recommendations(unit: String?, unansweredOnly: Bool, limit: Int) async throws -> [Recommendation] {
        try await database.read { db in
            var select = db.select().columns(RecommendationRow.columns).from("recommendations")
            if let unit {
                select = select.where { $0.where("from_unit", .equal, unit).orWhere("to_unit", .equal, unit) }
            }
            if unansweredOnly { select = select.where("answered_at", .is, SQLLiteral.null) }
            return try await select.orderBy(SQLRaw("CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END"))
                .orderBy("raised_at").orderBy("id").limit(limit)
                .all(decoding: RecommendationRow.self, keyDecodingStrategy: .snakeCaseColumns)
                .compactMap(\.recommendation)
        }
    }
}
