import MandateCore
import SQLKit

/// The versions of the public figures, one per indicator and period (`M015FigureVersions`), bumped
/// in the transactions that change them. Like `DataVersion`, by a random step rather than by one,
/// so that a version read inside a transaction that then rolls back is not taken by the next commit.
enum FigureVersions {
    /// One indicator's figures for one period: every unit's.
    struct Slice: Hashable, Comparable, Sendable {
        var indicator: String
        var period: String

        static func < (a: Slice, b: Slice) -> Bool {
            (a.indicator, a.period) < (b.indicator, b.period)
        }
    }

    /// Gives each slice a newer version, in key order (so that two transactions lock the rows they
    /// share in the same order).
    static func bump(_ slices: Set<Slice>, on db: any SQLDatabase) async throws {
        guard !slices.isEmpty else { return }
        let step = DataVersion.randomStep()
        for batch in slices.sorted().chunked(into: 1000) {
            var insert = db.insert(into: "figure_versions").columns("indicator_code", "period", "version")
            for slice in batch {
                insert = insert.values([slice.indicator, slice.period, step] as [any Encodable & Sendable])
            }
            try await insert.onConflict(with: ["indicator_code", "period"]) {
                $0.set(SQLIdentifier("version"), to: SQLRaw("figure_versions.version + excluded.version"))
            }.run()
        }
    }

    /// Bumps every period of `indicator` that has totals: before its totals are rebuilt (some may
    /// not come back) and after (some are new).
    static func bumpTotalled(_ indicator: String, on db: any SQLDatabase) async throws {
        let step = DataVersion.randomStep()
        try await db.raw(
            """
            INSERT INTO figure_versions (indicator_code, period, version)
            SELECT DISTINCT indicator_code, period, CAST(\(bind: step) AS BIGINT) FROM rollup_totals
            WHERE indicator_code = \(bind: indicator)
            ON CONFLICT (indicator_code, period) DO UPDATE SET version = figure_versions.version + excluded.version
            """
        ).run()
    }

    /// The versions of `indicator`'s slices for `periods` (0 for a slice never changed).
    static func read(_ indicator: String, periods: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        var versions = Dictionary(uniqueKeysWithValues: periods.map { ($0, Int64(0)) })
        for row in try await db.select().columns("period", "version").from("figure_versions")
            .where("indicator_code", .equal, indicator).where("period", .in, periods).all()
        {
            versions[try row.decode(column: "period", as: String.self)] = try row.decode(
                column: "version", as: Int64.self)
        }
        return versions
    }
}

extension ValueWriter {
    /// Bumps the slices whose figures `changes` and the roll-up `deltas` they cause move: those of
    /// a value approved before or after the change, and those of every total moved.
    static func noteFigures(
        of changes: [Change], deltas: [TotalsKey: RollupTotals], on db: any SQLDatabase
    )
        async throws
    {
        var slices = Set(deltas.keys.map { FigureVersions.Slice(indicator: $0.indicator, period: $0.period) })
        for change in changes where change.new.status == .approved || change.old?.status == .approved {
            slices.insert(FigureVersions.Slice(indicator: change.new.indicator, period: change.new.period))
        }
        try await FigureVersions.bump(slices, on: db)
    }
}
