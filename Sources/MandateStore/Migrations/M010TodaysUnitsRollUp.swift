import MandateCore
import SQLKit

/// Roll-ups count today's units only (see `ValueWriter.rollsUp`): the totals of the indicators that
/// former units reported are computed again without them.
struct M010TodaysUnitsRollUp: Migration {
    let name = "010-todays-units-roll-up"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        let codes = try await db.raw(
            """
            SELECT DISTINCT d.indicator_code AS code FROM data_values d JOIN units u ON u.code = d.unit_code
            WHERE u.active = \(bind: false) AND d.status = 'approved'
            """
        ).all().map { try $0.decode(column: "code", as: String.self) }
        guard !codes.isEmpty else { return }
        let writer = ValueWriter.prepare(
            on: db, definitions: try await DefinitionCache().current(on: db),
            units: try await UnitTreeCache().current(on: db))
        try await writer.rebuildTotals(of: codes)
    }
}
