import MandateCore
import MandateStore
import Testing

/// Indicators of the tests: a commune count summed up, a percentage averaged by population, and the population.
enum Fixture {
    static let broadband = Indicator(
        code: "BB", nameVi: "Số thôn có băng rộng", nameEn: "Villages with broadband", unitOfMeasure: "thôn",
        valueType: .number, frequency: .yearly, appliesTo: [.province, .commune], rollup: .sum,
        targets: [IndicatorTarget(year: 2030, value: 100)])
    static let online = Indicator(
        code: "ONLINE", nameVi: "Tỷ lệ dân dùng dịch vụ trực tuyến", nameEn: "Share using online services",
        unitOfMeasure: "%", valueType: .percent, frequency: .yearly, appliesTo: [.commune],
        rollup: .weightedMean(by: "POP"))
    static let population = Indicator(
        code: "POP", nameVi: "Dân số", nameEn: "Population", unitOfMeasure: "người", valueType: .number,
        frequency: .yearly, appliesTo: [.commune], rollup: .sum)
    static let monthly = Indicator(
        code: "M", nameVi: "Chỉ số tháng", nameEn: "Monthly", unitOfMeasure: "", valueType: .number,
        frequency: .monthly, appliesTo: [.commune], rollup: .mean, dueDays: 10)
    static let all = [broadband, online, population, monthly]
    static let rules = [
        ValidationRule.compare("BB_LE_POP", "BB", .lessOrEqual, "POP", message: "villages ≤ population")
    ]

    static func input(_ indicator: String, _ unit: String, _ period: String, _ value: String) -> DataValueInput {
        DataValueInput(
            key: DataValueKey(indicator: indicator, unit: unit, period: period), value: value, origin: .single)
    }

    static let approved = Submitter(userId: "u-head", status: .approved, at: "2026-01-10T08:00:00.000Z")
    static let draft = Submitter(userId: "u-reporter", status: .draft, at: "2026-01-10T08:00:00.000Z")
}

@Suite struct DataValueStoreTests {
    @Test(arguments: TestDatabase.available)
    func indicatorsKeepTheirTargetsAndRules(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            try await store.indicators.saveRules(Fixture.rules)
            let stored = try #require(try await store.indicators.get(code: "ONLINE"))
            #expect(stored == Fixture.online)
            #expect(try await store.indicators.list().map(\.code) == ["BB", "M", "ONLINE", "POP"])
            var changed = Fixture.broadband
            changed.targets = [IndicatorTarget(year: 2026, value: 40), IndicatorTarget(year: 2030, value: 90)]
            try await store.indicators.save([changed])
            #expect(try await store.indicators.get(code: "BB")?.targets == changed.targets)
            #expect(try await store.indicators.rules() == Fixture.rules)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCorrectionKeepsTheOldValueInHistory(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let key = DataValueKey(indicator: "BB", unit: "00004", period: "2025")
            #expect(
                try await store.values.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.draft).created
                    == 1)
            var later = Fixture.draft
            later.at = "2026-01-11T08:00:00.000Z"
            later.userId = "u-other"
            let summary = try await store.values.submit([Fixture.input("BB", "00004", "2025", "12")], by: later)
            #expect(summary == WriteSummary(created: 0, updated: 1, unchanged: 0))
            let current = try #require(try await store.values.get(key))
            #expect(current.value == 12 && current.enteredBy == "u-other" && current.status == .draft)
            // The first report's time is kept: timeliness is judged by it.
            #expect(current.firstReportedAt == Fixture.draft.at)
            let history = try await store.values.history(of: key)
            #expect(history.count == 1)
            #expect(history.first?.value == 10 && history.first?.enteredBy == "u-reporter")
            #expect(history.first?.replacedAt == later.at && history.first?.replacedBy == "u-other")
            // The same value again changes nothing.
            #expect(
                try await store.values.submit([Fixture.input("BB", "00004", "2025", "12")], by: later).unchanged == 1)
            #expect(try await store.values.history(of: key).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCommentOrEvidenceLeftOutKeepsWhatIsStoredAndABlankOneClearsIt(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let key = DataValueKey(indicator: "BB", unit: "00004", period: "2025")
            let link = "https://example.vn/bao-cao.pdf"
            func input(_ value: String, comment: String?, evidence: String?) -> DataValueInput {
                DataValueInput(key: key, value: value, comment: comment, evidence: evidence, origin: .single)
            }
            _ = try await store.values.submit(
                [input("7", comment: "đã kiểm tra", evidence: link)], by: Fixture.approved)
            // The same value sent again without comment or evidence (a form without those fields, a
            // file without those columns) changes nothing: the value stays approved and public.
            var later = Fixture.draft
            later.at = "2026-01-11T08:00:00.000Z"
            let again = try await store.values.submit([input("7", comment: nil, evidence: nil)], by: later)
            #expect(again == WriteSummary(created: 0, updated: 0, unchanged: 1))
            let kept = try #require(try await store.values.get(key))
            #expect(kept.comment == "đã kiểm tra" && kept.evidence == link && kept.status == .approved)
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).count == 1)
            // A new value without them keeps them too; blank ones clear them, and history keeps both.
            // (A draft correction of an approved value waits beside it.)
            _ = try await store.values.submit([input("8", comment: nil, evidence: nil)], by: later)
            let corrected = try #require(try await store.values.get(key)?.latestEntry)
            #expect(corrected.value == 8 && corrected.comment == "đã kiểm tra" && corrected.evidence == link)
            _ = try await store.values.submit([input("8", comment: "", evidence: "")], by: later)
            let cleared = try #require(try await store.values.get(key)?.latestEntry)
            #expect(cleared.value == 8 && cleared.comment == nil && cleared.evidence == nil)
            _ = try await store.values.approve([key], by: "u-head", at: "2026-01-12T00:00:00.000Z")
            let approved = try #require(try await store.values.get(key))
            #expect(
                approved.value == 8 && approved.comment == nil && approved.evidence == nil && approved.pending == nil)
            #expect(try await store.values.history(of: key).map(\.value) == [8, 7])
            // A new value given a blank comment stores none.
            _ = try await store.values.submit(
                [
                    DataValueInput(
                        key: DataValueKey(indicator: "BB", unit: "00008", period: "2025"), value: "3", comment: "",
                        evidence: "", origin: .single)
                ], by: later)
            let fresh = try #require(
                try await store.values.get(DataValueKey(indicator: "BB", unit: "00008", period: "2025")))
            #expect(fresh.comment == nil && fresh.evidence == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyApprovedValuesArePublicAndRollUp(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "7")], by: Fixture.draft)
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).isEmpty)
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false)).count == 1)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025") == nil)
            let key = DataValueKey(indicator: "BB", unit: "00004", period: "2025")
            let approved = try #require(
                try await store.values.approve([key], by: "u-head", at: "2026-01-12T00:00:00.000Z").first)
            #expect(approved.status == .approved && approved.approvedBy == "u-head")
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).map(\.value) == [7])
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.sum == 7)
            // Approving twice changes nothing; an unknown key is nil.
            _ = try await store.values.approve([key], by: "u-head", at: "2026-01-13T00:00:00.000Z")
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.count == 1)
            let missing = DataValueKey(indicator: "BB", unit: "00008", period: "2025")
            #expect(try await store.values.approve([missing], by: "u-head", at: "2026-01-12T00:00:00.000Z").isEmpty)
            // A correction by a reporter waits for approval: the approved value stays public and in
            // the roll-up.
            #expect(try await store.values.awaitingApproval(unit: "00004").isEmpty)
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "9")], by: Fixture.draft)
            // What waits for approval, by period: the correction, and a draft of another indicator.
            _ = try await store.values.submit([Fixture.input("POP", "00004", "2025", "90")], by: Fixture.draft)
            #expect(try await store.values.awaitingApproval(unit: "00004") == ["2025": 2])
            #expect(try await store.values.awaitingApproval(unit: "00008").isEmpty)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.sum == 7)
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).map(\.value) == [7])
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).allSatisfy { $0.pending == nil })
            let waiting = try #require(
                try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false)).first)
            #expect(waiting.value == 7 && waiting.pending?.value == 9 && waiting.awaitsApproval)
            let corrected = try #require(
                try await store.values.approve([key], by: "u-head", at: "2026-01-14T00:00:00.000Z").first)
            #expect(corrected.value == 9 && corrected.status == .approved && corrected.pending == nil)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.sum == 9)
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"])).map(\.value) == [9])
            #expect(try await store.values.history(of: key).map(\.value) == [7])
        }
    }

    /// A second correction takes the first one's place (which history keeps); entering the approved
    /// value again withdraws it; the same draft twice changes nothing; an approved submission
    /// replaces the value and sets the correction aside.
    @Test(arguments: TestDatabase.available)
    func correctionsOfAnApprovedValueWaitBesideIt(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let key = DataValueKey(indicator: "BB", unit: "00004", period: "2025")
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "7")], by: Fixture.approved)
            func pending() async throws -> Double? { try await store.values.get(key)?.pending?.value }
            var summary = try await store.values.submit(
                [Fixture.input("BB", "00004", "2025", "9")], by: Fixture.draft)
            #expect(summary == WriteSummary(created: 0, updated: 1, unchanged: 0))
            summary = try await store.values.submit([Fixture.input("BB", "00004", "2025", "9")], by: Fixture.draft)
            #expect(summary == WriteSummary(created: 0, updated: 0, unchanged: 1))
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "10")], by: Fixture.draft)
            #expect(try await pending() == 10)
            #expect(try await store.values.history(of: key).map(\.value) == [9])
            #expect(try await store.values.history(of: key).map(\.status) == [.draft])
            // The approved value entered again: the correction is withdrawn (and kept in history).
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "7")], by: Fixture.draft)
            #expect(try await pending() == nil)
            #expect(try await store.values.history(of: key).map(\.value) == [9, 10])
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.sum == 7)
            // An approved submission replaces the value and sets a waiting correction aside.
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "11")], by: Fixture.draft)
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "12")], by: Fixture.approved)
            let value = try #require(try await store.values.get(key))
            #expect(value.value == 12 && value.status == .approved && value.pending == nil)
            #expect(try await store.values.history(of: key).map(\.value) == [9, 10, 11, 7])
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.sum == 12)
            // Approving with nothing waiting changes nothing.
            #expect(try await store.values.approve([key], by: "u-head", at: "2026-01-15T00:00:00.000Z") == [value])
            #expect(try await store.values.history(of: key).count == 4)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCommuneValueIsInItsProvincesAndTheNationsRollupAtOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            // Two communes of Hà Nội (01) and one of Thành phố Hồ Chí Minh (79).
            _ = try await store.values.submit(
                [
                    Fixture.input("BB", "00004", "2025", "10"), Fixture.input("BB", "00008", "2025", "5"),
                    Fixture.input("BB", "25747", "2025", "20"),
                    Fixture.input("POP", "00004", "2025", "1000"), Fixture.input("POP", "00008", "2025", "3000"),
                    Fixture.input("ONLINE", "00004", "2025", "80"), Fixture.input("ONLINE", "00008", "2025", "50"),
                    // The province's own report stands beside its communes' roll-up, not inside it.
                    Fixture.input("BB", "01", "2025", "99"),
                ], by: Fixture.approved)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.value(.sum) == 15)
            #expect(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2025")?.value(.sum) == 35)
            #expect(try await store.values.rollup(indicator: "BB", unit: "79", period: "2025")?.value(.sum) == 20)
            // (80 × 1000 + 50 × 3000) ÷ 4000 = 57.5
            #expect(
                try await store.values.rollup(indicator: "ONLINE", unit: "01", period: "2025")?.value(.weightedMean)
                    == 57.5)
            // A correction moves both levels by the difference.
            _ = try await store.values.submit([Fixture.input("BB", "00004", "2025", "4")], by: Fixture.approved)
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.value(.sum) == 9)
            #expect(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2025")?.value(.sum) == 29)
            // A new denominator re-weighs the weighted mean: (80 × 3000 + 50 × 3000) ÷ 6000 = 65.
            _ = try await store.values.submit([Fixture.input("POP", "00004", "2025", "3000")], by: Fixture.approved)
            #expect(
                try await store.values.rollup(indicator: "ONLINE", unit: "01", period: "2025")?.value(.weightedMean)
                    == 65)
            #expect(
                try await store.values.rollup(indicator: "ONLINE", unit: "BCD", period: "2025")?.value(.weightedMean)
                    == 65)
            #expect(try await store.values.rollup(indicator: "POP", unit: "BCD", period: "2025")?.value(.sum) == 6000)
        }
    }

    @Test(arguments: TestDatabase.available)
    func reimportingTheSameFileChangesNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let file =
                "indicator,unit,period,value,comment\nBB,00004,2025,10,\nBB,00008,2025,5,\"ghi chú, có dấu phẩy\"\nM,00004,202512,3.5,\n"
            let first = try await store.values.submit(try DataValueFile.csv(file), by: Fixture.approved)
            #expect(first == WriteSummary(created: 3, updated: 0, unchanged: 0))
            var again = Fixture.approved
            again.at = "2026-02-01T00:00:00.000Z"
            let second = try await store.values.submit(try DataValueFile.csv(file), by: again)
            #expect(second == WriteSummary(created: 0, updated: 0, unchanged: 3))
            for key in [
                DataValueKey(indicator: "BB", unit: "00004", period: "2025"),
                DataValueKey(indicator: "BB", unit: "00008", period: "2025"),
            ] {
                #expect(try await store.values.history(of: key).isEmpty)
                #expect(try await store.values.get(key)?.enteredAt == Fixture.approved.at)
            }
            #expect(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025")?.value(.sum) == 15)
            #expect(
                try await store.values.get(DataValueKey(indicator: "BB", unit: "00008", period: "2025"))?.comment
                    == "ghi chú, có dấu phẩy")
        }
    }

    /// A file of new values is stored in one pass; a file mixing new and stored keys falls back to
    /// comparing each with what is stored, with the same result as storing them one by one.
    @Test(arguments: TestDatabase.available)
    func aFileMixingNewAndStoredValuesIsStoredAsEachWouldBe(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let first = "indicator,unit,period,value\nBB,00004,2025,10\nBB,00008,2025,5\n"
            #expect(
                try await store.values.submit(try DataValueFile.csv(first), by: Fixture.approved)
                    == WriteSummary(created: 2, updated: 0, unchanged: 0))
            var later = Fixture.approved
            later.at = "2026-03-01T00:00:00.000Z"
            let mixed = "indicator,unit,period,value\nBB,00004,2025,10\nBB,00008,2025,7\nBB,00025,2025,1\n"
            #expect(
                try await store.values.submit(try DataValueFile.csv(mixed), by: later)
                    == WriteSummary(created: 1, updated: 1, unchanged: 1))
            let changed = DataValueKey(indicator: "BB", unit: "00008", period: "2025")
            #expect(try await store.values.history(of: changed).map(\.value) == [5])
            #expect(try await store.values.get(changed)?.firstReportedAt == Fixture.approved.at)
            let added = try #require(
                try await store.values.get(DataValueKey(indicator: "BB", unit: "00025", period: "2025")))
            #expect(added.enteredAt == later.at && added.status == .approved && added.approvedBy == "u-head")
            // Totals moved once per change: 10 + 7 + 1, from three values.
            let totals = try #require(try await store.values.rollup(indicator: "BB", unit: "01", period: "2025"))
            #expect(totals.value(.sum) == 18 && totals.count == 3)
            // A unit's values are found by unit and period alone (through the key, over the indicators).
            let units = try await store.values.list(ValueQuery(units: ["00008"], periods: ["2025"]))
            #expect(units.map(\.key) == [changed])
            #expect(
                try await store.values.firstReported(unit: "00025", periods: ["2025"]).keys.map(\.indicator) == ["BB"])
        }
    }

    /// A file longer than one part is stored part by part while the next part is checked; a bad
    /// row or a duplicate in a later part still leaves nothing stored, and every problem is named.
    @Test(arguments: TestDatabase.available)
    func aLongFileIsStoredWholeOrNotAtAll(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            let communes = try await store.units.list(UnitQuery(kind: .commune, limit: 5000)).items.map(\.code)
            var lines = ["indicator,unit,period,value"]
            for year in 2022...2025 {
                for commune in communes { lines.append("BB,\(commune),\(year),\(lines.count % 50)") }
            }
            let rows = lines.count - 1
            let part = SQLDataValueRepository.partSize(expected: rows)
            #expect(rows > 2 * part)
            var bad = lines
            bad[rows - 10] = "BB,\(communes[5]),2021,many"
            bad[part + 7] = lines[3]
            do {
                _ = try await store.values.submit(try DataValueFile.csv(bad.joined(separator: "\n")), by: Fixture.draft)
                Issue.record("a file with a bad row was stored")
            } catch let failure as ValidationFailure {
                #expect(
                    failure.errors.compactMap(\.line).sorted() == [part + 8, rows - 9])
            }
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false)).isEmpty)
            let summary = try await store.values.submit(
                try DataValueFile.csv(lines.joined(separator: "\n")), by: Fixture.draft)
            #expect(summary == WriteSummary(created: rows, updated: 0, unchanged: 0))
            let stored = try await store.values.list(
                ValueQuery(indicators: ["BB"], approvedOnly: false, limit: 100_000))
            #expect(stored.count == rows)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFileWithABadRowIsRefusedWholeWithEveryBadRowNamed(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            try await store.indicators.saveRules(Fixture.rules)
            _ = try await store.values.submit([Fixture.input("POP", "00008", "2025", "3")], by: Fixture.approved)
            let file = """
                indicator,unit,period,value,comment
                BB,00004,2025,10,
                BB,00004,2025Q1,10,
                BB,99999,2025,1,
                ONLINE,00004,2025,140,
                BB,00008,2025,5,
                """
            let failure = await #expect(throws: ValidationFailure.self) {
                try await store.values.submit(try DataValueFile.csv(file), by: Fixture.approved)
            }
            #expect(
                failure?.errors == [
                    RowError(line: 3, column: "period", reason: "BB is reported yearly; 2025Q1 is a quarter"),
                    RowError(line: 4, column: "unit", reason: "no unit has code \"99999\""),
                    RowError(line: 5, column: "value", reason: "a percentage is between 0 and 100"),
                    // The rules are checked in the same pass, over the units and periods whose rows are
                    // sound: 5 villages > 3 people in 00008 (00004's own rows have problems to mend first).
                    RowError(line: 6, column: "value", reason: "villages ≤ population (rule BB_LE_POP)"),
                ])
            #expect(try await store.values.list(ValueQuery(indicators: ["BB"], approvedOnly: false)).isEmpty)
            // A row of the wrong shape is reported among the others, in the file's order.
            let shapes = "indicator,unit,period,value\nBB,00004,2025\nBB,00004,2025Q1,10\nBB,00008,2025,1,2,3\n"
            let refusedShapes = await #expect(throws: ValidationFailure.self) {
                try await store.values.submit(
                    DataValueParts.csv(Array(shapes.utf8)), by: Fixture.approved, wholeSubmission: true, progress: nil)
            }
            #expect(refusedShapes?.errors.map(\.line) == [2, 3, 4])
            // With the other bad rows gone, the rule over stored values still holds.
            let rest = "indicator,unit,period,value,comment\nBB,00004,2025,10,\nBB,00008,2025,5,\n"
            let refused = await #expect(throws: ValidationFailure.self) {
                try await store.values.submit(try DataValueFile.csv(rest), by: Fixture.approved)
            }
            #expect(
                refused?.errors == [
                    RowError(line: 3, column: "value", reason: "villages ≤ population (rule BB_LE_POP)")
                ])
            #expect(try await store.values.rollup(indicator: "BB", unit: "BCD", period: "2025") == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFirstReportAfterTheDueDateIsLate(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.indicators.save(Fixture.all)
            // December 2025 is due 10 days after it ends: 10 January 2026.
            var onTime = Fixture.draft
            onTime.at = "2026-01-10T23:00:00.000Z"
            var late = Fixture.draft
            late.at = "2026-01-11T00:00:00.000Z"
            _ = try await store.values.submit([Fixture.input("M", "00004", "202512", "1")], by: onTime)
            _ = try await store.values.submit([Fixture.input("M", "00008", "202512", "1")], by: late)
            #expect(
                try await store.values.get(DataValueKey(indicator: "M", unit: "00004", period: "202512"))?.late == false
            )
            #expect(
                try await store.values.get(DataValueKey(indicator: "M", unit: "00008", period: "202512"))?.late == true)
        }
    }
}

extension DataValueStoreTests {
    /// A reporter's correction moves no ranking until the unit head approves it: the draft ranking
    /// of the demo's provinces keeps its inputs and its result.
    @Test func aCorrectionMovesNoRankingUntilApproved() async throws {
        try await TestDatabase.sqliteMemory.withStore(demo: true) { store in
            let computer = store.rankingComputer(today: { CivilDate(year: 2026, month: 12, day: 5)! })
            let method = try #require(try await store.rankings.method(id: "province-dti", version: nil))
            let period = try Period("2025")
            let before = try await computer.compute(method, period: period, previous: nil)
            let key = DataValueKey(indicator: "DTI_CQS", unit: "01", period: "2025")
            let approved = try #require(try await store.values.get(key))
            #expect(approved.status == .approved)
            let draft = Submitter(userId: "u-reporter", status: .draft, at: "2026-01-10T08:00:00.000Z")
            _ = try await store.values.submit(
                [DataValueInput(key: key, value: "0.99", comment: nil, evidence: nil, origin: .single)], by: draft)
            let during = try await computer.compute(method, period: period, previous: nil)
            #expect(during.result.inputDigest == before.result.inputDigest)
            #expect(during.result == before.result)
            _ = try await store.values.approve([key], by: "u-head", at: "2026-01-11T08:00:00.000Z")
            let after = try await computer.compute(method, period: period, previous: nil)
            #expect(after.result.inputDigest != before.result.inputDigest)
        }
    }
}
