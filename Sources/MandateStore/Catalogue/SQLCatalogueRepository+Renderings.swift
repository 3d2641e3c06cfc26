import MandateCore
import SQLKit

/// The export's reading: approved entries in code order with the rendering kept of each, and the
/// renderings it makes kept for the next export.
extension SQLCatalogueRepository {
    public func exportRows(
        format: DCATExport.Format, after code: String?, batch: Int, owner: String?
    )
        async throws -> [CatalogueExportRow]
    {
        try await database.readOnce { db in
            var query: SQLQueryString = """
                SELECT e.code, e.owner, e.version, r.publisher, r.body FROM catalogue_entries e \
                LEFT JOIN catalogue_renderings r \
                ON r.code = e.code AND r.format = \(bind: format.rawValue) AND r.version = e.version \
                WHERE e.version > 0
                """
            if let code { query += " AND e.code > \(bind: code)" }
            if let owner { query += " AND e.owner = \(bind: owner)" }
            query += " ORDER BY e.code LIMIT \(bind: batch)"
            return try await db.raw(query).all().map { row in
                let code = try row.decode(column: "code", as: String.self)
                let version = try row.decode(column: "version", as: Int.self)
                let rendering = try row.decode(column: "body", as: String?.self).map { body in
                    DCATExport.Rendering(
                        code: code, format: format, version: version,
                        publisher: try row.decode(column: "publisher", as: String.self), body: Array(body.utf8))
                }
                return CatalogueExportRow(
                    code: code, owner: try row.decode(column: "owner", as: String.self), version: version,
                    rendering: rendering)
            }
        }
    }

    public func approvedEntries(codes: [String]) async throws -> [String: (entry: CatalogueEntry, version: Int)] {
        try await database.readOnce { db in
            var found: [String: (entry: CatalogueEntry, version: Int)] = [:]
            for row in try await Self.rows(
                of: codes, { db.select().columns("code", "published", "version").from("catalogue_entries") },
                in: "code", order: [])
            {
                guard let entry = try Self.entry(try row.decode(column: "published", as: String?.self)) else {
                    continue
                }
                found[try row.decode(column: "code", as: String.self)] = (
                    entry, try row.decode(column: "version", as: Int.self)
                )
            }
            return found
        }
    }

    public func keep(_ renderings: [DCATExport.Rendering]) async throws {
        guard !renderings.isEmpty else { return }
        try await database.transaction { db in
            for start in stride(from: 0, to: renderings.count, by: 100) {
                var insert = db.insert(into: "catalogue_renderings")
                    .columns("code", "format", "version", "publisher", "body")
                for rendering in renderings[start..<min(start + 100, renderings.count)] {
                    insert = insert.values(
                        SQLBind(rendering.code), SQLBind(rendering.format.rawValue), SQLBind(rendering.version),
                        SQLBind(rendering.publisher), SQLBind(String(decoding: rendering.body, as: UTF8.self)))
                }
                try await insert.onConflict(with: ["code", "format"]) {
                    $0.set(excludedValueOf: "version").set(excludedValueOf: "publisher").set(excludedValueOf: "body")
                }
                .run()
            }
        }
    }
}
