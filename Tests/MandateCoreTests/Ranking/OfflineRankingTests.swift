import MandateCore
import Testing

@Suite struct OfflineRankingTests {
    typealias F = RankingFixtures

    @Test(arguments: [
        ("2025", "2024"), ("2026S1", "2025S2"), ("2026S2", "2026S1"), ("2026Q1", "2025Q4"), ("2026Q3", "2026Q2"),
        ("202601", "202512"), ("202610", "202609"),
    ])
    func aRankingIsComparedWithThePeriodBefore(period: String, previous: String) throws {
        #expect(try Period(period).rankingPrevious == (try Period(previous)))
    }

    @Test func theFirstPeriodMandateKnowsHasNoneBefore() throws {
        #expect(try Period("1900").rankingPrevious == nil)
        #expect(try Period("190001").rankingPrevious == nil)
        #expect(try Period("190002").rankingPrevious == (try Period("190001")))
    }

    @Test func thePortalsUnitsFileGivesTheKindOfEachUnit() throws {
        let portal = try RankingUnitsFile(
            """
            code,kind,name,short_name,parent_code,lat,lon,area_km2
            00,committee,Ban Chỉ đạo,BCĐ,,,,
            BCA,ministry,Bộ Công an,Bộ Công an,00,,,
            01,province,"Thành phố Hà Nội, Việt Nam",Hà Nội,00,21.0,105.7,3359.97
            00004,commune,Phường Ba Đình,Ba Đình,01,,,

            """)
        #expect(portal.codes(of: .province) == ["01"])
        #expect(portal.codes(of: .ministry) == ["BCA"])
        #expect(portal.kinds["00004"] == "commune")
    }

    @Test func theReferenceUnitsFileAndARankingsOwnAreReadToo() throws {
        let reference = try RankingUnitsFile("level,code,name\nprovince,01,Hà Nội\ncommune,00004,Ba Đình\n")
        #expect(reference.codes(of: .province) == ["01"] && reference.codes(of: .commune) == ["00004"])
        let own = RankingUnitsFile.csv(units: ["04", "01"], kind: .province)
        #expect(own == "code,kind\n01,province\n04,province\n")
        #expect(try RankingUnitsFile(own).codes(of: .province) == ["01", "04"])
    }

    @Test func aUnitsFileWithoutAKindIsRefused() {
        #expect {
            _ = try RankingUnitsFile("code,name\n01,Hà Nội\n")
        } throws: { error in
            (error as? ValidationFailure)?.errors.first?.description.contains(
                "missing column(s): kind (the portal's units file) or level (the reference units file)") == true
        }
    }

    @Test func valuesOfUnitsOutsideTheListAreLeftOutAndNamed() throws {
        let method = F.method([F.pillar("P", weight: 1, [F.component("X")])])
        let inputs = try DataValueFile.csv(
            "indicator,unit,period,value\nX,01,2025,1\nX,BCA,2025,2\nX,04,2024,3\nY,99,2025,4\n")
        let all = try RankingValues(inputs, method: method)
        #expect(all.units == ["01", "04", "BCA"] && all.unlisted.isEmpty)
        let listed = try RankingValues(inputs, method: method, units: ["01", "04", "08"])
        #expect(listed.units == ["01", "04"] && listed.unlisted == ["BCA"])
        #expect(listed.table("2025", units: ["01", "04", "08"]).units == ["01", "04", "08"])
    }

    @Test func aPublishedRankingNamesItsFilesAndTheCommandThatReadsThem() throws {
        let method = F.method([F.pillar("P", weight: 1, [F.component("X")])])
        let result = try RankingEngine(method: method).rank(
            F.table(["01": ["X": 1], "04": ["X": 2]]), previous: F.table(["01": ["X": 1]], period: "2024"))
        let ranking = PublishedRanking(
            methodId: "test", period: "2025", version: 2, method: method, result: result, inputDigest: "ab12",
            publishedAt: "2026-01-05T00:00:00Z")
        let reproduction = RankingReproduction(ranking)
        #expect(reproduction.method.path == "/api/v1/rankings/test/2025/method?version=2")
        #expect(reproduction.inputs.path == "/api/v1/rankings/test/2025/inputs?version=2")
        #expect(reproduction.units.path == "/api/v1/rankings/test/2025/units?version=2")
        #expect(
            reproduction.command
                == "mandate rank --method test-2025-v2-method.json --data test-2025-v2-inputs.csv"
                + " --units test-2025-v2-units.csv --period 2025 --previous 2024")
        #expect(reproduction.previousPeriod == "2024" && reproduction.inputDigest == "ab12")
    }
}
