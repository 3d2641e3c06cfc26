import Foundation
import MandateCore
import SQLKit

/// Programmes and their orientations (`TaskRepository`), and what a programme's page summarises.
extension SQLTaskRepository {

    public func save(_ programme: Programme) async throws {
        try await changing { db in
            // Programme and orientation names show on every task's page.
            ChangeRecorder.note(.everything)
            let basis = programme.legalBasis
            try await db.insert(into: "programmes")
                .columns(
                    "code", "name_vi", "name_en", "basis_title", "basis_number", "basis_date", "start_year", "end_year",
                    "archived_at"
                )
                .values(
                    programme.code, programme.nameVi, programme.nameEn, basis?.title, basis?.number,
                    basis?.date.description, programme.startYear, programme.endYear, programme.archivedAt
                )
                .onConflict(with: ["code"]) {
                    $0.set(excludedValueOf: "name_vi").set(excludedValueOf: "name_en")
                        .set(excludedValueOf: "basis_title").set(excludedValueOf: "basis_number")
                        .set(excludedValueOf: "basis_date").set(excludedValueOf: "start_year")
                        .set(excludedValueOf: "end_year").set(excludedValueOf: "archived_at")
                }
                .run()
            // Orientations no longer listed go (`ProgrammeDraft` keeps those tasks name).
            var stale = db.delete(from: "orientations").where("programme_code", .equal, programme.code)
            if !programme.orientations.isEmpty {
                stale = stale.where("number", .notIn, programme.orientations.map(\.number))
            }
            try await stale.run()
            for orientation in programme.orientations {
                try await db.insert(into: "orientations")
                    .columns("programme_code", "number", "title_vi", "title_en")
                    .values(programme.code, orientation.number, orientation.titleVi, orientation.titleEn)
                    .onConflict(with: ["programme_code", "number"]) {
                        $0.set(excludedValueOf: "title_vi").set(excludedValueOf: "title_en")
                    }
                    .run()
            }
        }
    }

    public func programmes() async throws -> [Programme] {
        try await database.read { db in
            struct Row: Decodable {
                var programmeCode: String
                var number: Int
                var titleVi: String
                var titleEn: String
            }
            let orientations = try await db.select().columns("programme_code", "number", "title_vi", "title_en")
                .from("orientations").orderBy("number")
                .all(decoding: Row.self, keyDecodingStrategy: .snakeCaseColumns)
            let grouped = Dictionary(grouping: orientations, by: \.programmeCode)
            return try await db.select()
                .columns(
                    "code", "name_vi", "name_en", "basis_title", "basis_number", "basis_date", "start_year", "end_year",
                    "archived_at"
                )
                .from("programmes").orderBy("code")
                .all().map { row in
                    let code = try row.decode(column: "code", as: String.self)
                    func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
                    var basis: LegalBasis?
                    if let title = try text("basis_title"), let number = try text("basis_number"),
                        let date = try text("basis_date").flatMap({ CivilDate(iso: $0) })
                    {
                        basis = LegalBasis(title: title, number: number, date: date)
                    }
                    return Programme(
                        code: code, nameVi: try row.decode(column: "name_vi", as: String.self),
                        nameEn: try row.decode(column: "name_en", as: String.self),
                        orientations: (grouped[code] ?? []).map {
                            Orientation(number: $0.number, titleVi: $0.titleVi, titleEn: $0.titleEn)
                        }, legalBasis: basis, startYear: try row.decode(column: "start_year", as: Int?.self),
                        endYear: try row.decode(column: "end_year", as: Int?.self), archivedAt: try text("archived_at"))
                }
        }
    }

    public func programme(_ code: String) async throws -> Programme? {
        try await programmes().first { $0.code == code }
    }

    public func outline(of programme: String) async throws -> ProgrammeOutline {
        try await database.read { db in
            var outline = ProgrammeOutline(tasks: [:], indicators: [])
            let isPublic = SQLRaw("(origin = 'assigned' OR signed_off_at IS NOT NULL)")
            for row in try await db.select().column("orientation").column(
                SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
            )
            .from("tasks").where("programme_code", .equal, programme).where(isPublic).groupBy("orientation").all() {
                outline.tasks[try row.decode(column: "orientation", as: Int?.self)] = try row.decode(
                    column: "n", as: Int.self)
            }
            var indicators: Set<String> = []
            for text in try await db.select().distinct().column("indicators").from("tasks")
                .where("programme_code", .equal, programme).where("indicators", .notEqual, "").where(isPublic)
                .all(decodingColumn: "indicators", as: String.self)
            {
                indicators.formUnion(TaskRow.list(text))
            }
            outline.indicators = indicators.sorted()
            return outline
        }
    }

    public func usedOrientations(of programme: String) async throws -> Set<Int> {
        try await database.read { db in
            Set(
                try await db.select().distinct().column("orientation").from("tasks")
                    .where("programme_code", .equal, programme).where("orientation", .isNot, SQLLiteral.null)
                    .all(decodingColumn: "orientation", as: Int.self))
        }
    }
}
