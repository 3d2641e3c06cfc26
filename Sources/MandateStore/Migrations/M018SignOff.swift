import Foundation
import MandateCore
import SQLKit

/// A proposal or a recommendation is public once its unit's head signs it off (`SignOff`): each
/// gets the time of its sign-off, and the recommendations its signer. What was written before
/// was public as it was written, so it counts as signed off then. The proposals awaiting sign-off
/// (a handful) have an index of their own, so that a list counts the public tasks as all the tasks
/// less those, without reading every row.
struct M018SignOff: Migration {
    let name = "018-sign-off"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.alter(table: "tasks").column("signed_off_at", type: ColumnType.timestamp).run()
        try await db.update("tasks").set("signed_off_at", to: SQLColumn("created_at"))
            .where("origin", .equal, TaskOrigin.proposed.rawValue).run()
        try await db.raw(
            "CREATE INDEX tasks_awaiting_sign_off ON tasks (lead_unit) WHERE origin = 'proposed' AND signed_off_at IS NULL"
        ).run()
        try await db.alter(table: "recommendations").column("signed_off_at", type: ColumnType.timestamp).run()
        try await db.alter(table: "recommendations").column("signed_off_by", type: .text).run()
        try await db.update("recommendations").set("signed_off_at", to: SQLColumn("raised_at"))
            .set("signed_off_by", to: SQLColumn("raised_by")).run()
    }
}
