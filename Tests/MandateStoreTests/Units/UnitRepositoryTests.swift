import MandateCore
import MandateStore
import Testing

@Suite struct UnitRepositoryTests {
    @Test(arguments: TestDatabase.available)
    func referenceUnitsAreLoadedOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            #expect(try await store.units.list(UnitQuery(kind: .province)).total == 34)
            #expect(try await store.units.list(UnitQuery(kind: .commune)).total == 3321)
            #expect(try await store.units.list(UnitQuery(kind: .ministry)).total == 17)
            #expect(try await store.units.list(UnitQuery(kind: .committee)).total == 1)
            #expect(try await store.units.list(UnitQuery(kind: .province, includeInactive: true)).total == 34 + 63)
            // A second preparation (a restart) neither duplicates nor fails.
            try await store.prepare(demo: false, logger: TestDatabase.logger)
            #expect(try await store.units.list(UnitQuery(kind: .commune)).total == 3321)
        }
    }

    @Test(arguments: TestDatabase.available)
    func searchIgnoresCaseAndDiacritics(database: TestDatabase) async throws {
        try await database.withStore { store in
            let plain = try await store.units.list(UnitQuery(search: "ha noi"))
            let accented = try await store.units.list(UnitQuery(search: "Hà Nội"))
            #expect(plain.total > 0)
            #expect(plain.items.map(\.code) == accented.items.map(\.code))
            #expect(plain.items.contains { $0.code == "01" })
            let withD = try await store.units.list(UnitQuery(kind: .province, search: "đà nẵng"))
            let withoutD = try await store.units.list(UnitQuery(kind: .province, search: "da nang"))
            #expect(withD.items.map(\.code) == ["48"])
            #expect(withoutD.items.map(\.code) == ["48"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsChildrenOfAProvinceInCodeOrderWithPaging(database: TestDatabase) async throws {
        try await database.withStore { store in
            let all = try await store.units.list(UnitQuery(parentCode: "01", limit: 1000))
            #expect(all.total == all.items.count)
            #expect(all.items.allSatisfy { $0.kind == .commune && $0.parentCode == "01" })
            #expect(all.items.map(\.code) == all.items.map(\.code).sorted())
            let second = try await store.units.list(UnitQuery(parentCode: "01", limit: 10, offset: 10))
            #expect(second.items.map(\.code) == Array(all.items.map(\.code)[10..<20]))
        }
    }

    @Test(arguments: TestDatabase.available)
    func pathsAndLineageFollowTheTree(database: TestDatabase) async throws {
        try await database.withStore { store in
            #expect(try await store.units.path(of: "00004")?.codes == ["00004", "01", "BCD"])
            #expect(try await store.units.path(of: "nope") == nil)
            let predecessors = try await store.units.predecessors(of: "08").map(\.predecessorCode)
            #expect(predecessors == ["pre2025-02", "pre2025-08"])
            let successor = try await store.units.successors(of: "pre2025-02")
            #expect(successor.map(\.unitCode) == ["08"])
            #expect(successor.first?.effectiveOn == "2025-07-01")
            let former = try #require(try await store.units.get(code: "pre2025-02"))
            #expect(former.active == false && former.name == "Tỉnh Hà Giang")
        }
    }

    @Test(arguments: TestDatabase.available)
    func importUpdatesOrCreatesAllOrNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            let importer = UnitImporter(units: store.units)
            let header = "level,code,name,short_name,type,parent_code,lat,lon,area_km2\n"
            let bad = header + "commune,99001,Xã Mới,Mới,Xã,01,21,105,3\ncommune,99002,Xã Lạc,Lạc,Xã,ZZ,21,105,3\n"
            await #expect(throws: ValidationFailure.self) { try await importer.importCSV(bad) }
            #expect(try await store.units.get(code: "99001") == nil)

            let good =
                header
                + "commune,99001,Xã Mới,Mới,Xã,01,21.5,105.5,3\ncommune,00004,Phường Ba Đình (mới),Ba Đình,Phường,01,21.04,105.84,2.97\n"
            let summary = try await importer.importCSV(good)
            #expect(summary == UnitImporter.Summary(created: 1, updated: 1))
            let created = try #require(try await store.units.get(code: "99001"))
            #expect(created.latitude == 21.5 && created.parentCode == "01")
            #expect(try await store.units.get(code: "00004")?.name == "Phường Ba Đình (mới)")
            #expect(try await store.units.list(UnitQuery(search: "ba dinh moi")).items.map(\.code) == ["00004"])
            // Re-importing the same file changes nothing.
            #expect(try await importer.importCSV(good) == UnitImporter.Summary(created: 0, updated: 2))
            #expect(try await store.units.list(UnitQuery(kind: .commune)).total == 3322)
        }
    }
}
