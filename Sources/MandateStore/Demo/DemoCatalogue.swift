import MandateCore

/// The demo's catalogue (`Resources/catalogue-demo.csv`): the national databases of Decree
/// 47/2024/NĐ-CP under the ministries that own them, two sectoral ones and two local ones of each
/// of three provinces. Names and legal bases are the decree's; counts, dates, addresses and
/// mailboxes are illustrative, and every entry is marked so.
///
/// The file's dates are written as of `writtenOn`; they are moved by as many days as `today` is
/// from it, so that the demo shows the same mix of databases on time and late whenever it starts.
enum DemoCatalogue {
    static let writtenOn = CivilDate(year: 2026, month: 12, day: 7)!

    static func entries(today: CivilDate) throws -> [(entry: CatalogueEntry, expected: Int?)] {
        let text = try ReferenceUnits.resource("catalogue-demo", "csv")
        let shift = today.dayNumber - writtenOn.dayNumber
        let entries = try CatalogueCSV.entries(text, today: writtenOn, illustrative: true).map { entry in
            var moved = entry
            moved.recordCountDate = entry.recordCountDate?.adding(days: shift)
            moved.lastUpdate = entry.lastUpdate?.adding(days: shift)
            moved.connectedSince = entry.connectedSince?.adding(days: shift)
            return moved
        }
        let table = try CSVTable(text, required: ["code", "expected_records"])
        var expected: [String: Int] = [:]
        for record in table.records {
            guard let code = record.fields.first, let index = table.position["expected_records"],
                index < record.fields.count, let count = Int(record.fields[index])
            else { continue }
            expected[code] = count
        }
        return entries.map { ($0, expected[$0.code]) }
    }
}
