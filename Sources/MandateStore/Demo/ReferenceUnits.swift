import Foundation
import MandateCore

/// The real unit tree shipped with Mandate: the committee, the 17 ministries and ministerial-level
/// agencies, the 34 provinces and 3,321 communes of 1 July 2025, and the 63 provinces before it
/// (inactive), linked to their successors.
public enum ReferenceUnits {
    /// The date the 2025 provincial merger took effect.
    public static let mergerDate = "2025-07-01"
    /// Pre-merger provinces keep their old statistical code behind this prefix, as the new units reuse codes.
    public static let preMergerPrefix = "pre2025-"

    public static func load() throws -> (units: [OrgUnit], links: [UnitLink]) {
        let central = try UnitCSV.parse(try resource("ministries", "csv"), existing: [:])
        let kinds = Dictionary(uniqueKeysWithValues: central.map { ($0.code, $0.kind) })
        let local = try UnitCSV.parse(try resource("vn-units-2025", "csv"), existing: kinds)
        let committee = central.first { $0.kind == .committee && $0.parentCode == nil }?.code ?? ""
        let (former, links) = try preMergerProvinces(committee: committee)
        return (central + local + former, links)
    }

    static func preMergerProvinces(committee: String) throws -> ([OrgUnit], [UnitLink]) {
        let records = try CSVReader.records(try resource("vn-provinces-2025-merger", "csv"))
        guard let header = records.first?.fields else { return ([], []) }
        var units: [OrgUnit] = []
        var links: [UnitLink] = []
        for record in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, record.fields))
            guard let newCode = row["new_code"], let oldCode = row["old_code"], let oldName = row["old_name"] else {
                throw RowError(line: record.line, column: nil, reason: "incomplete merger row")
            }
            let type = oldName.hasPrefix("Thành phố ") ? "Thành phố" : "Tỉnh"
            let code = preMergerPrefix + oldCode
            units.append(
                OrgUnit(
                    code: code, kind: .province, name: oldName,
                    shortName: String(oldName.dropFirst(type.count + 1)), type: type, parentCode: committee,
                    active: false))
            links.append(UnitLink(unitCode: newCode, predecessorCode: code, effectiveOn: mergerDate))
        }
        return (units, links)
    }

    static func resource(_ name: String, _ ext: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
            throw ValidationFailure(field: "resource", reason: "\(name).\(ext) is missing from the bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
