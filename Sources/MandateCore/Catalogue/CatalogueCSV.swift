/// A catalogue imported from CSV: one database per row, with one distribution (docs/CATALOGUE.md
/// lists the columns). All or nothing: every bad row is named by line and column.
public enum CatalogueCSV {
    /// Each column and the draft field it fills.
    public static let columns: [(column: String, field: String)] = [
        ("code", "code"), ("owner", "owner"), ("level", "level"), ("name_vi", "nameVi"), ("name_en", "nameEn"),
        ("description_vi", "descriptionVi"), ("description_en", "descriptionEn"),
        ("legal_document", "legalBasis.document"), ("legal_link", "legalBasis.link"), ("themes", "themes"),
        ("frequency", "frequency"), ("access", "access"), ("access_basis", "accessBasis"),
        ("record_count", "recordCount"), ("record_count_date", "recordCountDate"), ("last_update", "lastUpdate"),
        ("connected_since", "connectedSince"), ("format", "distributions[0].format"),
        ("media_type", "distributions[0].mediaType"), ("access_url", "distributions[0].accessURL"),
        ("download_url", "distributions[0].downloadURL"), ("licence", "distributions[0].licence"),
        ("contact_email", "contactEmail"),
    ]

    public static let required = ["code", "owner", "level", "name_vi", "frequency", "access", "access_url"]

    /// The entries of `text`, or every problem in it. `today` bounds the dates (`CatalogueDraft`).
    public static func entries(
        _ text: String, today: CivilDate, illustrative: Bool = false
    )
        throws(ValidationFailure) -> [CatalogueEntry]
    {
        let table = try CSVTable(text, required: required)
        var errors: [RowError] = []
        var entries: [CatalogueEntry] = []
        var lines: [String: Int] = [:]
        let column = Dictionary(uniqueKeysWithValues: columns.map { ($0.field, $0.column) })
        for row in table.rows(errors: &errors) {
            var draft = CatalogueDraft()
            draft.code = row["code"]
            draft.owner = row["owner"]
            draft.level = row["level"]
            draft.nameVi = row["name_vi"]
            draft.nameEn = row["name_en"]
            draft.descriptionVi = row["description_vi"]
            draft.descriptionEn = row["description_en"]
            draft.legalBasis = .init(document: row["legal_document"], link: row["legal_link"])
            draft.themes = row["themes"].map { $0.split(separator: " ").map(String.init) }
            draft.frequency = row["frequency"]
            draft.access = row["access"]
            draft.accessBasis = row["access_basis"]
            if let count = row["record_count"] {
                guard let number = Int(count) else {
                    errors.append(
                        row.error(
                            "record_count", "\"\(count)\" is not a whole number",
                            vi: "\"\(count)\" không phải số nguyên"))
                    continue
                }
                draft.recordCount = number
            }
            draft.recordCountDate = row["record_count_date"]
            draft.lastUpdate = row["last_update"]
            draft.connectedSince = row["connected_since"]
            draft.distributions = [
                .init(
                    accessURL: row["access_url"], downloadURL: row["download_url"], format: row["format"],
                    mediaType: row["media_type"], licence: row["licence"])
            ]
            draft.contactEmail = row["contact_email"]
            do {
                let entry = try draft.entry(today: today, illustrative: illustrative)
                if let first = lines[entry.code] {
                    errors.append(
                        row.error(
                            "code", "\(entry.code) is also on line \(first)",
                            vi: "\(entry.code) trùng với dòng \(first)"))
                }
                lines[entry.code] = row.record.line
                entries.append(entry)
            } catch {
                for problem in error.errors {
                    var named = problem
                    named.line = row.record.line
                    named.column = problem.column.map { field in
                        column[field.hasPrefix("themes[") ? "themes" : field] ?? field
                    }
                    errors.append(named)
                }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return entries
    }
}
