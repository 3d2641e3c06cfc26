import Foundation
import MandateCore
import SQLKit

/// `CatalogueRepository` on SQLite or PostgreSQL.
public struct SQLCatalogueRepository: CatalogueRepository {
    let database: any MandateDatabase

    public init(database: any MandateDatabase) {
        self.database = database
    }

    static func json(_ entry: CatalogueEntry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    static func entry(_ text: String?) throws -> CatalogueEntry? {
        try text.map { try JSONDecoder().decode(CatalogueEntry.self, from: Data($0.utf8)) }
    }

    static let columns = [
        "code", "owner", "published", "version", "published_at", "draft", "draft_at", "expected_records",
    ]

    static func record(_ row: any SQLRow, audit: DatabaseAudit?) throws -> CatalogueRecord {
        CatalogueRecord(
            code: try row.decode(column: "code", as: String.self),
            owner: try row.decode(column: "owner", as: String.self),
            published: try entry(try row.decode(column: "published", as: String?.self)),
            version: try row.decode(column: "version", as: Int.self),
            publishedAt: try row.decode(column: "published_at", as: String?.self),
            draft: try entry(try row.decode(column: "draft", as: String?.self)),
            draftAt: try row.decode(column: "draft_at", as: String?.self),
            expectedRecords: try row.decode(column: "expected_records", as: Int?.self), audit: audit)
    }

    /// The latest audit of each of `codes`.

    /// The rows the query `select` makes reads where `column` is one of `keys`, asked 500 keys at a time (a
    /// statement's bound values are limited), in `order`.
    static func rows(
        of keys: [String], _ select: () -> SQLSelectBuilder, in column: String, order: [String],
        groupBy: String? = nil
    ) async throws -> [any SQLRow] {
        var rows: [any SQLRow] = []
        for start in stride(from: 0, to: keys.count, by: 500) {
            var batch = select().where(column, .in, Array(keys[start..<min(keys.count, start + 500)]))
            if let groupBy { batch = batch.groupBy(groupBy) }
            for name in order { batch = batch.orderBy(name) }
            rows += try await batch.all()
        }
        return rows
    }

    static func records(_ rows: [any SQLRow], on db: any SQLDatabase) async throws -> [CatalogueRecord] {
        let codes = try rows.map { try $0.decode(column: "code", as: String.self) }
        let audits = try await audits(of: codes, on: db)
        var records = try zip(rows, codes).map { try record($0, audit: audits[$1]) }
        var first: [String: String] = [:]
        let earliest = {
            db.select().column("code").column(SQLFunction("MIN", args: SQLColumn("published_at")), as: "first")
                .from("catalogue_versions")
        }
        for row in try await Self.rows(of: codes, earliest, in: "code", order: [], groupBy: "code") {
            first[try row.decode(column: "code", as: String.self)] = try row.decode(column: "first", as: String?.self)
        }
        for index in records.indices { records[index].firstApprovedAt = first[records[index].code] }
        let samples = try await latestSamples(of: codes, on: db)
        for index in records.indices { records[index].sample = samples[records[index].code] }
        let links = Set(records.flatMap { [$0.published, $0.draft].compactMap { $0 }.flatMap(LinkChecks.links) })
        let latest = try await latestProbes(of: Array(links), on: db)
        for index in records.indices {
            for entry in [records[index].published, records[index].draft].compactMap({ $0 }) {
                for link in LinkChecks.links(of: entry) { records[index].probes[link] = latest[link] }
            }
        }
        return records
    }

    public func record(code: String) async throws -> CatalogueRecord? {
        try await database.read { db in
            try await Self.records(
                try await db.select().columns(Self.columns).from("catalogue_entries").where("code", .equal, code).all(),
                on: db
            ).first
        }
    }

    public func saveDrafts(
        _ entries: [(entry: CatalogueEntry, ownerParent: String?)], by: String?, at: String
    )
        async throws -> [CatalogueRecord]
    {
        let drafts = try entries.map { ($0.entry, $0.ownerParent, try Self.json($0.entry)) }
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            for (entry, ownerParent, draft) in drafts {
                try await db.insert(into: "catalogue_entries")
                    .columns("code", "owner", "owner_parent", "version", "draft", "draft_at", "draft_by")
                    .values(
                        SQLBind(entry.code), SQLBind(entry.owner), SQLBind(ownerParent), SQLBind(0), SQLBind(draft),
                        SQLBind(at), SQLBind(by)
                    )
                    .onConflict(with: ["code"]) {
                        $0.set(excludedValueOf: "draft").set(excludedValueOf: "draft_at").set(
                            excludedValueOf: "draft_by")
                    }
                    .run()
            }
        }
        var records: [CatalogueRecord] = []
        for (entry, _, _) in drafts {
            guard let record = try await record(code: entry.code) else { throw RecordNotFound("catalogue entry") }
            records.append(record)
        }
        return records
    }

    public func approve(code: String, by: String?, at: String) async throws -> CatalogueRecord? {
        let approved: Bool = try await database.transaction { db in
            guard
                let row = try await db.select().columns("owner", "draft", "version").from("catalogue_entries")
                    .where("code", .equal, code).first(),
                let text = try row.decode(column: "draft", as: String?.self), let entry = try Self.entry(text)
            else { return false }
            let version = try row.decode(column: "version", as: Int.self) + 1
            ChangeRecorder.note(.catalogueEntry(owner: entry.owner))
            try await db.update("catalogue_entries")
                .set("published", to: text).set("version", to: version).set("published_at", to: at)
                .set("published_by", to: by).set("draft", to: SQLLiteral.null).set("draft_at", to: SQLLiteral.null)
                .set("draft_by", to: SQLLiteral.null).set("level", to: entry.level.rawValue)
                .set("access", to: entry.access.rawValue)
                .set("themes", to: " " + entry.themes.map(\.rawValue).joined(separator: " ") + " ")
                .set("search", to: entry.searchText)
                .where("code", .equal, code).run()
            try await db.insert(into: "catalogue_versions").columns(
                "code", "version", "entry", "published_at", "published_by"
            )
            .values(SQLBind(code), SQLBind(version), SQLBind(text), SQLBind(at), SQLBind(by)).run()
            return true
        }
        return approved ? try await record(code: code) : nil
    }

    public func list(_ query: CatalogueQuery) async throws -> Page<CatalogueRecord> {
        // The count and the page read on two connections at once: counting 50,000 entries takes
        // as long as reading the page's rows and what is known of them.
        async let counted = database.read { db in try await Self.count(query, on: db) }
        let items = try await database.read { db in
            let rows = try await Self.filtered(query, db.select().columns(Self.columns)).orderBy("code")
                .limit(query.limit).offset(query.offset).all()
            return try await Self.records(rows, on: db)
        }
        return Page(items: items, total: try await counted, limit: query.limit, offset: query.offset)
    }

    /// `select` from the approved entries that `query` admits.
    static func filtered(_ query: CatalogueQuery, _ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select.from("catalogue_entries").where("version", .greaterThan, 0)
        if let unit = query.unit {
            select = select.where { $0.where("owner", .equal, unit).orWhere("owner_parent", .equal, unit) }
        }
        if let level = query.level { select = select.where("level", .equal, level.rawValue) }
        if let access = query.access { select = select.where("access", .equal, access.rawValue) }
        if let theme = query.theme { select = select.where("themes", .like, "% \(theme.rawValue) %") }
        for term in SearchKey.terms(query.text) {
            select = select.where("search", .like, "%\(Self.escapeLike(term))%")
        }
        return select
    }

    /// How many approved entries `query` admits, up to its `countCeiling`.
    static func count(_ query: CatalogueQuery, on db: any SQLDatabase) async throws -> Int {
        let count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
        guard let ceiling = query.countCeiling else {
            return try await filtered(query, count).first(decodingColumn: "n", as: Int.self) ?? 0
        }
        let matches = filtered(query, db.select().column(SQLLiteral.numeric("1"), as: "one")).limit(ceiling)
        return try await count.from(SQLAlias(SQLGroupExpression(matches.select), as: SQLIdentifier("matches")))
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// `term` for a LIKE pattern: folded search terms hold letters, digits and spaces only, so
    /// nothing in them is a wildcard.
    static func escapeLike(_ term: String) -> String {
        term.filter { $0 != "%" && $0 != "_" }
    }

    public func published(after code: String?, batch: Int, owners: Set<String>?) async throws -> [CatalogueRecord] {
        try await database.readOnce { db in
            var select = db.select().columns(Self.columns).from("catalogue_entries")
                .where("version", .greaterThan, 0)
            if let code { select = select.where("code", .greaterThan, code) }
            if let owners { select = select.where("owner", .in, Array(owners)) }
            return try await Self.records(try await select.orderBy("code").limit(batch).all(), on: db)
        }
    }

    public func drafts(owners: Set<String>?) async throws -> [CatalogueRecord] {
        try await database.read { db in
            var select = db.select().columns(Self.columns).from("catalogue_entries")
                .where("draft", .isNot, SQLLiteral.null)
            if let owners { select = select.where("owner", .in, Array(owners)) }
            return try await Self.records(try await select.orderBy("code").limit(1_000).all(), on: db)
        }
    }

    public func history(code: String) async throws -> [CatalogueVersion] {
        try await database.read { db in
            try await db.select().columns("version", "entry", "published_at", "published_by").from("catalogue_versions")
                .where("code", .equal, code).orderBy("version", .descending).all()
                .map { row in
                    CatalogueVersion(
                        version: try row.decode(column: "version", as: Int.self),
                        entry: try Self.entry(try row.decode(column: "entry", as: String.self))!,
                        publishedAt: try row.decode(column: "published_at", as: String.self),
                        publishedBy: try row.decode(column: "published_by", as: String?.self))
                }
        }
    }

}

extension SQLCatalogueRepository {
    /// Publishes `entries` (the demo's) at once, each as its first version, in one transaction.
    func load(_ entries: [(entry: CatalogueEntry, ownerParent: String?, expected: Int?)], at: String) async throws {
        try await database.transaction { db in
            for (entry, ownerParent, expected) in entries {
                let text = try Self.json(entry)
                try await db.insert(into: "catalogue_entries")
                    .columns(
                        "code", "owner", "owner_parent", "level", "access", "themes", "search", "published", "version",
                        "published_at", "expected_records"
                    )
                    .values(
                        SQLBind(entry.code), SQLBind(entry.owner), SQLBind(ownerParent), SQLBind(entry.level.rawValue),
                        SQLBind(entry.access.rawValue),
                        SQLBind(" " + entry.themes.map(\.rawValue).joined(separator: " ") + " "),
                        SQLBind(entry.searchText), SQLBind(text), SQLBind(1), SQLBind(at), SQLBind(expected)
                    ).run()
                try await db.insert(into: "catalogue_versions").columns("code", "version", "entry", "published_at")
                    .values(SQLBind(entry.code), SQLBind(1), SQLBind(text), SQLBind(at)).run()
            }
        }
    }
}
