/// Parses and checks a units file with the columns of the reference data:
/// `level,code,name,short_name,type,parent_code,lat,lon,area_km2` (`level` is the unit kind),
/// optionally with `name_en`. Units directly under the committee may leave `parent_code` empty.
public enum UnitCSV {
    public static let columns = [
        "level", "code", "name", "short_name", "type", "parent_code", "lat", "lon", "area_km2",
    ]
    static let required: Set<String> = ["level", "code", "name"]

    /// Parses every row and checks it against itself and the units that already exist.
    /// Throws every problem found, each naming its line; returns units in file order otherwise.
    public static func parse(
        _ text: String, existing: [String: UnitKind]
    ) throws(ValidationFailure) -> [OrgUnit] {
        let table = try CSVTable(text, required: required.sorted())
        let position = table.position
        let records = table.records

        var errors: [RowError] = []
        var units: [OrgUnit] = []
        var kinds = existing
        var seen: [String: Int] = [:]
        // Parents may appear later in the file than their children, so kinds are known first.
        for record in records {
            let row = Row(record: record, position: position)
            if let code = row["code"], let kind = UnitKind(rawValue: row["level"] ?? "") { kinds[code] = kind }
        }
        let committees = kinds.filter { $0.value == .committee }.keys.sorted()
        let root = committees.count == 1 ? committees.first : nil
        for row in table.rows(errors: &errors) {
            var rowErrors: [RowError] = []
            let level = row["level"] ?? ""
            let kind = UnitKind(rawValue: level)
            if kind == nil {
                let allowed = UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
                rowErrors.append(row.error("level", "unknown level \"\(level)\"; expected one of \(allowed)"))
            }
            let code = row["code"] ?? ""
            if let kind, let stored = existing[code], stored != kind {
                rowErrors.append(
                    row.error(
                        "level", "unit \(code) is a \(stored.rawValue); the kind of an existing unit cannot change"))
            }
            if !UnitCode.isValid(code) {
                rowErrors.append(row.error("code", UnitCode.rule))
            } else if let first = seen[code] {
                rowErrors.append(row.error("code", "code \(code) already appears on line \(first)"))
            } else {
                seen[code] = row.record.line
            }
            let name = row["name"] ?? ""
            if name.isEmpty { rowErrors.append(row.error("name", "the name is empty")) }
            // As in the reference data, units directly under the committee may leave parent_code empty.
            let parent = row["parent_code"] ?? (kind.map { $0.allowedParentKinds == [.committee] } == true ? root : nil)
            if let kind {
                rowErrors += checkParent(parent, of: kind, code: code, kinds: kinds, row: row)
            }
            let latitude = row.number("lat", in: -90...90, errors: &rowErrors)
            let longitude = row.number("lon", in: -180...180, errors: &rowErrors)
            let area = row.number("area_km2", in: 0...1_000_000, errors: &rowErrors)
            if (latitude == nil) != (longitude == nil) && rowErrors.isEmpty {
                rowErrors.append(row.error("lat", "lat and lon must both be given or both be empty"))
            }
            errors += rowErrors
            guard rowErrors.isEmpty, let kind else { continue }
            units.append(
                OrgUnit(
                    code: code, kind: kind, name: name, shortName: row["short_name"] ?? name, nameEn: row["name_en"],
                    type: row["type"] ?? "", parentCode: parent, latitude: latitude, longitude: longitude,
                    areaKm2: area))
        }
        if records.isEmpty {
            errors.append(RowError(line: 2, column: nil, reason: "the file has a header but no units"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return units
    }

    static func checkParent(
        _ parent: String?, of kind: UnitKind, code: String, kinds: [String: UnitKind], row: Row
    ) -> [RowError] {
        let allowed = kind.allowedParentKinds
        guard let parent else {
            return allowed.isEmpty
                ? [] : [row.error("parent_code", "a \(kind.rawValue) needs a parent, and there is no single committee")]
        }
        if allowed.isEmpty { return [row.error("parent_code", "a committee has no parent")] }
        if parent == code { return [row.error("parent_code", "a unit cannot be its own parent")] }
        guard let parentKind = kinds[parent] else {
            return [row.error("parent_code", "unknown parent unit \"\(parent)\"")]
        }
        if !allowed.contains(parentKind) {
            let expected = allowed.map(\.rawValue).sorted().joined(separator: " or ")
            return [
                row.error(
                    "parent_code",
                    "the parent of a \(kind.rawValue) must be a \(expected), not a \(parentKind.rawValue)")
            ]
        }
        return []
    }

    typealias Row = CSVTable.Row
}
