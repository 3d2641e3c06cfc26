import Foundation
import MandateCore
import SQLKit

/// What the catalogue holds of a database besides its entry: audits, expected counts, samples,
/// link probes, and the lease that keeps the probe to one instance.
extension SQLCatalogueRepository {
    /// Notes, in the transaction under way, that what is public of `code` changes (its owner's
    /// profile and the catalogue); a code not in the catalogue is refused.
    static func noteChange(of code: String, on db: any SQLDatabase) async throws {
        let owner = try await db.select().column("owner").from("catalogue_entries").where("code", .equal, code)
            .first(decodingColumn: "owner", as: String.self)
        guard let owner else { throw RecordNotFound("catalogue entry \(code)") }
        ChangeRecorder.note(.catalogueEntry(owner: owner))
    }

    static func audits(of codes: [String], on db: any SQLDatabase) async throws -> [String: DatabaseAudit] {
        var latest: [String: DatabaseAudit] = [:]
        for row in try await Self.rows(
            of: codes,
            {
                db.select().columns("code", "audited_on", "sampled", "wrong", "passed", "findings", "evidence")
                    .from("catalogue_audits")
            }, in: "code", order: ["audited_on", "recorded_at"])
        {
            guard let day = CivilDate(iso: try row.decode(column: "audited_on", as: String.self)) else { continue }
            latest[try row.decode(column: "code", as: String.self)] = DatabaseAudit(
                auditedOn: day, sampled: try row.decode(column: "sampled", as: Int.self),
                wrong: try row.decode(column: "wrong", as: Int.self),
                passed: try row.decode(column: "passed", as: Bool.self),
                findings: try row.decode(column: "findings", as: String.self),
                evidence: try row.decode(column: "evidence", as: String.self))
        }
        return latest
    }

    static func latestSamples(of codes: [String], on db: any SQLDatabase) async throws -> [String: SampleCheck] {
        var latest: [String: SampleCheck] = [:]
        for row in try await Self.rows(
            of: codes,
            { db.select().columns("code", "checked_on", "rows", "duplicates", "problems").from("catalogue_samples") },
            in: "code", order: ["recorded_at"])
        {
            guard let day = CivilDate(iso: try row.decode(column: "checked_on", as: String.self)) else { continue }
            let problems = try JSONDecoder().decode(
                [String].self, from: Data(try row.decode(column: "problems", as: String.self).utf8))
            latest[try row.decode(column: "code", as: String.self)] = SampleCheck(
                checkedOn: day, rows: try row.decode(column: "rows", as: Int.self),
                duplicateRows: try row.decode(column: "duplicates", as: Int.self), problems: problems)
        }
        return latest
    }

    static func probe(_ row: any SQLRow) throws -> LinkProbe {
        LinkProbe(
            url: try row.decode(column: "url", as: String.self),
            checkedAt: try row.decode(column: "checked_at", as: String.self),
            status: try row.decode(column: "status", as: Int?.self),
            answered: try row.decode(column: "answered", as: Bool.self))
    }

    static func latestProbes(of links: [String], on db: any SQLDatabase) async throws -> [String: LinkProbe] {
        var latest: [String: LinkProbe] = [:]
        for row in try await Self.rows(
            of: links, { db.select().columns("url", "checked_at", "status", "answered").from("catalogue_links") },
            in: "url", order: [])
        {
            let probe = try Self.probe(row)
            latest[probe.url] = probe
        }
        return latest
    }

    public func recordAudit(_ audit: DatabaseAudit, code: String, by: String?, at: String) async throws {
        try await database.transaction { db in
            try await Self.noteChange(of: code, on: db)
            try await db.insert(into: "catalogue_audits")
                .columns(
                    "code", "audited_on", "sampled", "wrong", "passed", "findings", "evidence", "recorded_at",
                    "recorded_by"
                )
                .values(
                    SQLBind(code), SQLBind(audit.auditedOn.description), SQLBind(audit.sampled), SQLBind(audit.wrong),
                    SQLBind(audit.passed), SQLBind(audit.findings), SQLBind(audit.evidence), SQLBind(at), SQLBind(by)
                ).run()
        }
    }

    public func expect(_ records: Int?, code: String) async throws {
        try await database.transaction { db in
            try await Self.noteChange(of: code, on: db)
            try await db.update("catalogue_entries").set("expected_records", to: SQLBind(records))
                .where("code", .equal, code).run()
        }
    }

    public func linksDue(checkedBefore: String, limit: Int) async throws -> [String] {
        var due: [String] = []
        var after: String?
        while due.count < limit {
            let records = try await published(after: after, batch: 500, owners: nil)
            guard let last = records.last else { break }
            after = last.code
            for record in records {
                for link in record.published.map(LinkChecks.links) ?? [] where !due.contains(link) {
                    if let probe = record.probes[link], probe.checkedAt >= checkedBefore { continue }
                    due.append(link)
                }
            }
            if records.count < 500 { break }
        }
        return Array(due.prefix(limit))
    }

    public func record(_ probes: [LinkProbe]) async throws {
        guard !probes.isEmpty else { return }
        try await database.transaction { db in
            // A link's answer changes the living quality of the databases that list it, which
            // the catalogue and the owners' profiles show.
            ChangeRecorder.note(.catalogueLinks)
            for probe in probes {
                let values = [
                    SQLBind(probe.url), SQLBind(probe.checkedAt), SQLBind(probe.status), SQLBind(probe.answered),
                ]
                try await db.insert(into: "catalogue_links").columns("url", "checked_at", "status", "answered")
                    .values(values)
                    .onConflict(with: ["url"]) {
                        $0.set(excludedValueOf: "checked_at").set(excludedValueOf: "status")
                            .set(excludedValueOf: "answered")
                    }
                    .run()
                try await db.insert(into: "catalogue_probes").columns("url", "checked_at", "status", "answered")
                    .values(values).run()
            }
        }
    }

    public func recordSample(
        _ check: SampleCheck, code: String, distribution: Int, by: String?, at: String
    )
        async throws
    {
        let problems = String(decoding: try JSONEncoder().encode(check.problems), as: UTF8.self)
        try await database.transaction { db in
            try await Self.noteChange(of: code, on: db)
            try await db.insert(into: "catalogue_samples")
                .columns(
                    "code", "distribution", "checked_on", "rows", "duplicates", "problems", "recorded_at", "recorded_by"
                )
                .values(
                    SQLBind(code), SQLBind(distribution), SQLBind(check.checkedOn.description), SQLBind(check.rows),
                    SQLBind(check.duplicateRows), SQLBind(problems), SQLBind(at), SQLBind(by)
                ).run()
        }
    }

    public func probes(of url: String, limit: Int) async throws -> [LinkProbe] {
        try await database.read { db in
            try await db.select().columns("url", "checked_at", "status", "answered").from("catalogue_probes")
                .where("url", .equal, url).orderBy("checked_at", .descending).limit(limit).all()
                .map(Self.probe)
        }
    }

    public func lease(_ name: String, holder: String, until: String, now: String) async throws -> Bool {
        try await database.transaction { db in
            ChangeRecorder.note(.nothingPublic)
            try await db.insert(into: "job_leases").columns("name", "holder", "expires_at")
                .values(SQLBind(name), SQLBind(holder), SQLBind(until))
                .ignoringConflicts(with: ["name"]).run()
            try await db.update("job_leases").set("holder", to: holder).set("expires_at", to: until)
                .where("name", .equal, name)
                .where { $0.where("holder", .equal, holder).orWhere("expires_at", .lessThan, now) }
                .run()
            return try await db.select().column("holder").from("job_leases").where("name", .equal, name)
                .first(decodingColumn: "holder", as: String.self) == holder
        }
    }
}
