import MandateCore
import SQLKit

extension SQLDataValueRepository {
    public func awaitingApproval(unit: String) async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for table in ["data_values", "data_value_corrections"] {
                let drafts: SQLQueryString =
                    table == "data_values" ? " AND status = \(bind: ValueStatus.draft.rawValue)" : ""
                let rows = try await db.raw(
                    "SELECT period, COUNT(*) AS n FROM \(ident: table) WHERE unit_code = \(bind: unit)" + drafts
                        + " GROUP BY period"
                ).all()
                for row in rows {
                    counts[try row.decode(column: "period", as: String.self), default: 0] +=
                        try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }
}
