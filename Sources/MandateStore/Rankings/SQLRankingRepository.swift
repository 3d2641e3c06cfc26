import Foundation
import MandateCore
import SQLKit

/// `RankingRepository` on SQLite or PostgreSQL.
public struct SQLRankingRepository: RankingRepository {
    let database: any MandateDatabase
    /// Published rankings as decoded, by method, period and version. A published version never
    /// changes (a correction is a new version), so what was decoded once is the answer for good:
    /// the overview's map and every profile read one on each render, and decoding its result cost
    /// more than reading it.
    private let decoded = BoundedTable<PublishedKey, PublishedRanking>(capacity: 64)

    struct PublishedKey: Hashable, Sendable {
        let methodId: String
        let period: String
        let version: Int
    }

    public init(database: any MandateDatabase) {
        self.database = database
    }

    public func saveMethod(_ method: RankingMethod, at: String) async throws {
        try method.validate()
        let document = String(decoding: PublishedRanking.canonicalJSON(method), as: UTF8.self)
        try await database.transaction { db in
            ChangeRecorder.note([.rankings])
            if let stored = try await db.select().column("document").from("ranking_methods")
                .where("method_id", .equal, method.id).where("version", .equal, method.version).first()
            {
                guard try stored.decode(column: "document", as: String.self) == document else {
                    throw ValidationFailure(
                        field: "version",
                        reason: "version \(method.version) of \(method.id) exists and never changes; "
                            + "save the changed method as a new version")
                }
                return
            }
            try await db.insert(into: "ranking_methods")
                .columns("method_id", "version", "unit_kind", "document", "created_at")
                .values(method.id, method.version, method.unitKind.rawValue, document, at)
                .run()
        }
    }

    public func methods() async throws -> [RankingMethod] {
        try await database.read { db in
            let rows = try await db.select().columns("method_id", "version", "document").from("ranking_methods")
                .orderBy("method_id").orderBy("version", .descending).all()
            var latest: [RankingMethod] = []
            for row in rows {
                let id = try row.decode(column: "method_id", as: String.self)
                if latest.last?.id == id { continue }
                latest.append(try Self.method(try row.decode(column: "document", as: String.self)))
            }
            return latest
        }
    }

    public func method(id: String, version: Int?) async throws -> RankingMethod? {
        try await database.read { db in
            var select = db.select().column("document").from("ranking_methods").where("method_id", .equal, id)
            if let version { select = select.where("version", .equal, version) }
            guard let row = try await select.orderBy("version", .descending).first() else { return nil }
            return try Self.method(try row.decode(column: "document", as: String.self))
        }
    }

    public func publish(
        method: RankingMethod, result: RankingResult, inputsCSV: String, by userId: String?, at: String
    ) async throws -> PublishedRanking {
        let digest = RankingTable.digest(text: inputsCSV)
        var result = result
        result.inputDigest = digest
        let frozen = result
        // Written once: stored, and digested into the logged fact.
        let resultJSON = frozen.canonicalJSON()
        return try await database.transaction { db in
            ChangeRecorder.note([.rankings])
            let last = try await db.select().column("version").from("published_rankings")
                .where("method_id", .equal, method.id).where("period", .equal, frozen.period)
                .orderBy("version", .descending).first()
            let version = try last?.decode(column: "version", as: Int.self) ?? 0
            let published = PublishedRanking(
                methodId: method.id, period: frozen.period, version: version + 1, method: method, result: frozen,
                inputDigest: digest, publishedAt: at)
            try await db.insert(into: "published_rankings")
                .columns(
                    "method_id", "period", "version", "method_version", "unit_kind", "method_document",
                    "result_document", "inputs_csv", "input_digest", "published_at", "published_by"
                )
                .values(
                    method.id, frozen.period, published.version, method.version, method.unitKind.rawValue,
                    String(decoding: PublishedRanking.canonicalJSON(method), as: UTF8.self),
                    String(decoding: resultJSON, as: UTF8.self), inputsCSV, digest, at,
                    userId
                )
                .run()
            _ = try await SQLTransparencyLog.append(
                [try published.publishedFact(resultJSON: resultJSON)], at: at, in: db)
            return published
        }
    }

    public func published(methodId: String, period: String, version: Int?) async throws -> PublishedRanking? {
        try await database.read { [decoded] db in
            func select(_ columns: [String]) -> SQLSelectBuilder {
                var select = db.select().columns(columns)
                    .from("published_rankings").where("method_id", .equal, methodId).where("period", .equal, period)
                if let version { select = select.where("version", .equal, version) }
                return select.orderBy("version", .descending)
            }
            guard let latest = try await select(["version"]).first(decodingColumn: "version", as: Int.self) else {
                return nil
            }
            let key = PublishedKey(methodId: methodId, period: period, version: latest)
            if let kept = decoded[key] { return kept }
            let columns = ["method_id", "period", "version", "method_document", "result_document", "input_digest"]
            guard let row = try await select(columns + ["published_at"]).where("version", .equal, latest).first()
            else { return nil }
            let published = try Self.published(row)
            decoded.keep(published, for: key)
            return published
        }
    }

    public func inputs(methodId: String, period: String, version: Int) async throws -> String? {
        try await database.read { db in
            try await db.select().column("inputs_csv").from("published_rankings")
                .where("method_id", .equal, methodId).where("period", .equal, period)
                .where("version", .equal, version).first()?.decode(column: "inputs_csv", as: String.self)
        }
    }

    public func latestPublication(methodId: String, period: String) async throws -> PublicationSummary? {
        try await database.read { db in
            try await Self.summaries(db).where("method_id", .equal, methodId).where("period", .equal, period)
                .orderBy("version", .descending).first().map(Self.summary)
        }
    }

    public func publications() async throws -> [PublicationSummary] {
        try await database.read { db in
            try await Self.summaries(db).orderBy("published_at", .descending).orderBy("method_id")
                .orderBy("period", .descending).orderBy("version", .descending)
                .all().map(Self.summary)
        }
    }

    static func summaries(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .columns("method_id", "period", "version", "method_version", "unit_kind", "input_digest")
            .column("published_at")
            .from("published_rankings")
    }

    static func summary(_ row: any SQLRow) throws -> PublicationSummary {
        PublicationSummary(
            methodId: try row.decode(column: "method_id", as: String.self),
            methodVersion: try row.decode(column: "method_version", as: Int.self),
            period: try row.decode(column: "period", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            unitKind: try row.decode(column: "unit_kind", as: UnitKind.self),
            inputDigest: try row.decode(column: "input_digest", as: String.self),
            publishedAt: try row.decode(column: "published_at", as: String.self))
    }

    public func facts() async throws -> [PublishedFact] {
        let published = try await database.read { db in
            var published: [PublishedRanking] = []
            for row in try await db.select()
                .columns("method_id", "period", "version", "method_document", "result_document", "input_digest")
                .column("published_at")
                .from("published_rankings").orderBy("method_id").orderBy("period").orderBy("version").all()
            {
                published.append(try Self.published(row))
            }
            return published
        }
        var facts: [PublishedFact] = []
        for ranking in published { facts.append(try Self.fact(of: ranking)) }
        return facts
    }

    /// The ranking's fact. (A plain throwing function: the release compiler of Swift 6.3 crashed
    /// on the typed-throwing call inside the async closures that use it.)
    static func fact(of ranking: PublishedRanking) throws -> PublishedFact {
        try ranking.publishedFact()
    }

    static func method(_ document: String) throws -> RankingMethod {
        try JSONDecoder().decode(RankingMethod.self, from: Data(document.utf8))
    }

    static func published(_ row: any SQLRow) throws -> PublishedRanking {
        PublishedRanking(
            methodId: try row.decode(column: "method_id", as: String.self),
            period: try row.decode(column: "period", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            method: try method(try row.decode(column: "method_document", as: String.self)),
            result: try JSONDecoder().decode(
                RankingResult.self, from: Data(try row.decode(column: "result_document", as: String.self).utf8)),
            inputDigest: try row.decode(column: "input_digest", as: String.self),
            publishedAt: try row.decode(column: "published_at", as: String.self))
    }
}
