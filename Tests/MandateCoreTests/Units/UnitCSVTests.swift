import Testing

@testable import MandateCore

@Suite struct UnitCSVTests {
    let header = "level,code,name,short_name,type,parent_code,lat,lon,area_km2"
    let existing: [String: UnitKind] = ["BCD": .committee, "01": .province]

    @Test func parsesGoodRowsAndDefaultsTopLevelParentToTheCommittee() throws {
        let text = """
            \(header)
            province,99,Tỉnh Thử Nghiệm,Thử Nghiệm,Tỉnh,,10.5,106.1,1200
            commune,99001,Xã Một,Một,Xã,99,10.6,106.2,12.5
            commune,99002,Xã Hai,Hai,Xã,01,,,
            """
        let units = try UnitCSV.parse(text, existing: existing)
        #expect(units.map(\.code) == ["99", "99001", "99002"])
        #expect(units[0].parentCode == "BCD")
        #expect(units[0].latitude == 10.5 && units[0].areaKm2 == 1200)
        #expect(units[1].parentCode == "99" && units[1].kind == .commune)
        #expect(units[2].latitude == nil)
    }

    @Test func everyBadRowIsReportedByLineAndReason() throws {
        let text = """
            \(header)
            commune,99001,Xã Tốt,Tốt,Xã,01,10,106,1
            commune,99002,Xã Mồ Côi,Mồ Côi,Xã,77,10,106,1
            commune,99003,Xã Lệch,Lệch,Xã,01,200,106,1
            village,99004,Thôn,Thôn,Thôn,01,,,
            commune,99001,Xã Trùng,Trùng,Xã,01,,,
            commune,99005,,Trống,Xã,01,,,
            commune,99006,Xã Sai Cha,Sai Cha,Xã,BCD,,,
            province,98,Tỉnh Thiếu Cột,Thiếu,Tỉnh
            """
        let failure = try #require(throws: ValidationFailure.self) { try UnitCSV.parse(text, existing: existing) }
        let byLine = Dictionary(grouping: failure.errors, by: { $0.line ?? 0 })
        #expect(byLine.keys.sorted() == [3, 4, 5, 6, 7, 8, 9])
        #expect(byLine[3]?.first?.column == "parent_code")
        #expect(byLine[3]?.first?.reason.contains("unknown parent unit \"77\"") == true)
        #expect(byLine[4]?.first?.column == "lat")
        #expect(byLine[5]?.first?.column == "level")
        #expect(byLine[6]?.first?.reason.contains("already appears on line 2") == true)
        #expect(byLine[7]?.first?.column == "name")
        #expect(byLine[8]?.first?.reason.contains("must be a province, not a committee") == true)
        #expect(byLine[9]?.first?.reason.contains("expected 9 fields") == true)
    }

    @Test func missingColumnsAndEmptyFilesAreRefused() {
        #expect(throws: ValidationFailure.self) { try UnitCSV.parse("code,name\n1,x\n", existing: existing) }
        #expect(throws: ValidationFailure.self) { try UnitCSV.parse("", existing: existing) }
        #expect(throws: ValidationFailure.self) { try UnitCSV.parse(header + "\n", existing: existing) }
    }

    @Test func aUnitsKindCannotChange() throws {
        let failure = try #require(throws: ValidationFailure.self) {
            try UnitCSV.parse("\(header)\ncommune,01,Xã Hà Nội,Hà Nội,Xã,01,,,\n", existing: existing)
        }
        #expect(failure.errors.contains { $0.column == "level" && $0.reason.contains("is a province") })
    }
}
