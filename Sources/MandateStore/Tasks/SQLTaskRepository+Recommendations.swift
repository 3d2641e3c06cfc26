import Foundation
import MandateCore
import SQLKit

extension SQLTaskRepository {
    // MARK: Recommendations

    public func raise(
        _ input: RecommendationInput, by actor: Actor, signedOff: Bool, illustrative: Bool
    ) async throws -> Recommendation {
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
                raisedBy: actor.userId, raisedAt: actor.at, signedOffAt: signedOff ? actor.at : nil,
                signedOffBy: signedOff ? actor.userId : nil, illustrative: illustrative)
            try await RecommendationRow.insert([recommendation], on: db)
            return recommendation
        }
    }

    public func signOff(recommendation id: String, by actor: Actor) async throws -> Recommendation {
        try await changing { db in
            guard let recommendation = try await RecommendationRow.fetch(id: id, on: db) else {
                throw RecordNotFound("no recommendation has id \(id)")
            }
            if let refusal = recommendation.signOffRefusal { throw refusal }
            ChangeRecorder.note([.tasks])
            try await db.update("recommendations").set("signed_off_at", to: actor.at)
                .set("signed_off_by", to: actor.userId).where("id", .equal, id).run()
            guard let signed = try await RecommendationRow.fetch(id: id, on: db) else { throw RecordNotFound(id) }
            return signed
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

    public func recommendations(
        unit: String?, unansweredOnly: Bool, unsignedUnits: Set<String>, limit: Int, offset: Int
    ) async throws -> Page<Recommendation> {
        try await database.read { db in
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("recommendations").where { shown in
                    var shown = shown.where("signed_off_at", .isNot, SQLLiteral.null)
                    if !unsignedUnits.isEmpty { shown = shown.orWhere("from_unit", .in, unsignedUnits.sorted()) }
                    return shown
                }
                if let unit {
                    select = select.where { $0.where("from_unit", .equal, unit).orWhere("to_unit", .equal, unit) }
                }
                if unansweredOnly { select = select.where("answered_at", .is, SQLLiteral.null) }
                return select
            }
            let total =
                try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await filtered(db.select().columns(RecommendationRow.columns))
                .orderBy(SQLRaw("CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END"))
                .orderBy("raised_at").orderBy("id").limit(limit).offset(offset)
                .all(decoding: RecommendationRow.self, keyDecodingStrategy: .snakeCaseColumns)
                .compactMap(\.recommendation)
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    public func unitsAwaitingSignOff() async throws -> Set<String> {
        try await database.read { db in
            let leads = try await db.select().distinct().column("lead_unit").from("tasks")
                .where("origin", .equal, TaskOrigin.proposed.rawValue).where("signed_off_at", .is, SQLLiteral.null)
                .all(decodingColumn: "lead_unit", as: String.self)
            let senders = try await db.select().distinct().column("from_unit").from("recommendations")
                .where("signed_off_at", .is, SQLLiteral.null).all(decodingColumn: "from_unit", as: String.self)
            return Set(leads).union(senders)
        }
    }
}
