import Foundation
import MandateCore
import SQLKit

/// The counts a ranking's satisfaction components read (`SatisfactionCountSource`).
extension SQLFeedbackRepository {
    public func satisfactionCounts(
        measure: String, kind: UnitKind, period: Period
    ) async throws -> [String: (satisfied: Int, ratings: Int)] {
        let column = measure == "overall" ? "overall" : "f_" + measure
        guard RankingSource.satisfactionMeasures.contains(measure) else { return [:] }
        let (from, through) = Feedback.months(of: period)
        return try await database.read { db in
            let tree = try await database.units.current(on: db)
            let rows = try await db.raw(
                """
                SELECT unit_code, COUNT(*) AS n, SUM(CASE WHEN \(ident: column) >= 4 THEN 1 ELSE 0 END) AS s \
                FROM feedback WHERE \(ident: column) IS NOT NULL AND period >= \(bind: from) \
                AND period <= \(bind: through) GROUP BY unit_code
                """
            ).all()
            var counts: [String: (satisfied: Int, ratings: Int)] = [:]
            for row in rows {
                let unit = try row.decode(column: "unit_code", as: String.self)
                let (n, s) = (try row.decode(column: "n", as: Int.self), try row.decode(column: "s", as: Int.self))
                // The unit's own ratings, and its parent's roll-up.
                for owner in [unit] + tree.ancestors(of: unit).prefix(1) where tree.kinds[owner] == kind {
                    let kept = counts[owner] ?? (0, 0)
                    counts[owner] = (kept.satisfied + s, kept.ratings + n)
                }
            }
            return counts
        }
    }
}
