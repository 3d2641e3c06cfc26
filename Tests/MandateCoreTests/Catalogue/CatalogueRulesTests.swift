import Foundation
import MandateCore
import Testing

/// The catalogue's rules: a draft checked field by field in both languages, the four qualities
/// at their edges, the metadata score, the class, and the CSV import.
@Suite struct CatalogueRulesTests {
    static let today = CivilDate(year: 2026, month: 12, day: 7)!

    static func entry(
        frequency: UpdateFrequency = .monthly, lastUpdate: CivilDate? = CivilDate(year: 2026, month: 11, day: 30),
        distributions: [Distribution] = [
            Distribution(
                accessURL: "https://dulieu.example.gov.vn/csdl", downloadURL: "https://dulieu.example.gov.vn/csdl.csv",
                format: .csv, licence: "https://creativecommons.org/licenses/by/4.0/")
        ]
    ) -> CatalogueEntry {
        CatalogueEntry(
            code: "HN-SDD", owner: "01", level: .local, nameVi: "Cơ sở dữ liệu sử dụng đất", nameEn: "Land use",
            descriptionVi: "Mô tả", descriptionEn: "Description",
            legalBasis: DatabaseLegalBasis(document: "Quyết định 1/QĐ-UBND", link: "https://vbpl.vn/"),
            themes: [.agriculture], keywords: ["đất đai"], recordCount: 100,
            recordCountDate: CivilDate(year: 2026, month: 11, day: 30), frequency: frequency, lastUpdate: lastUpdate,
            connectedSince: nil, access: .open, accessBasis: "", distributions: distributions,
            contactEmail: "csdl@hanoi.gov.vn")
    }

    // MARK: Living

    @Test func aMonthlyDatabaseIsOnTimeThroughItsDueDayAndLateTheDayAfter() {
        // Last updated 31 October: the next update is due by 30 November (a month on, the
        // month's last day).
        let last = CivilDate(year: 2026, month: 10, day: 31)!
        let entry = Self.entry(lastUpdate: last)
        #expect(DatabaseQualities.periodsLate(entry, today: CivilDate(year: 2026, month: 11, day: 30)!) == 0)
        #expect(DatabaseQualities.periodsLate(entry, today: CivilDate(year: 2026, month: 12, day: 1)!) == 1)
        // One day late is one period late, and stays so until the second period has passed.
        #expect(DatabaseQualities.periodsLate(entry, today: CivilDate(year: 2026, month: 12, day: 31)!) == 1)
        #expect(DatabaseQualities.periodsLate(entry, today: CivilDate(year: 2027, month: 1, day: 1)!) == 2)
        let late = DatabaseQualities.living(entry, probes: [:], today: CivilDate(year: 2026, month: 12, day: 1)!)
        #expect(late.state == .notMet)
        #expect(late.en.contains("late by 1 period"))
        #expect(late.vi.contains("chậm 1 kỳ"))
    }

    @Test(arguments: [
        (UpdateFrequency.daily, 1, 0), (.daily, 2, 1), (.weekly, 7, 0), (.weekly, 8, 1), (.weekly, 15, 2),
        (.annual, 365, 0), (.annual, 366, 1), (.quarterly, 92, 1), (.daily, 36_525, 36_524),
    ])
    func periodsLateCountWholePromisedPeriods(frequency: UpdateFrequency, daysSince: Int, late: Int) {
        let last = CivilDate(year: 2025, month: 1, day: 1)!
        let entry = Self.entry(frequency: frequency, lastUpdate: last)
        #expect(DatabaseQualities.periodsLate(entry, today: last.adding(days: daysSince)) == late)
    }

    @Test func aDatabaseNeverUpdatedIsNotLiving() {
        let finding = DatabaseQualities.living(Self.entry(lastUpdate: nil), probes: [:], today: Self.today)
        #expect(finding.state == .notMet)
        #expect(finding.en == "never updated")
        #expect(finding.vi == "chưa từng được cập nhật")
    }

    @Test func livingWaitsForEveryLinkToAnswer() {
        let entry = Self.entry()
        let links = ["https://dulieu.example.gov.vn/csdl", "https://dulieu.example.gov.vn/csdl.csv"]
        let unchecked = DatabaseQualities.living(entry, probes: [:], today: Self.today)
        #expect(unchecked.state == .unknown)
        #expect(unchecked.en.contains("2 links not yet checked"))
        let answered = Dictionary(
            uniqueKeysWithValues: links.map {
                ($0, LinkProbe(url: $0, checkedAt: "2026-12-07T00:00:00Z", status: 200, answered: true))
            })
        #expect(DatabaseQualities.living(entry, probes: answered, today: Self.today).state == .met)
        var failing = answered
        failing[links[1]] = LinkProbe(url: links[1], checkedAt: "2026-12-07T00:00:00Z", status: 404, answered: false)
        let failed = DatabaseQualities.living(entry, probes: failing, today: Self.today)
        #expect(failed.state == .notMet)
        #expect(failed.en.contains("1 link did not answer"))
    }

    @Test func noPromiseIsUnknownAndAOneOffIsMet() {
        #expect(
            DatabaseQualities.living(Self.entry(frequency: .irregular), probes: [:], today: Self.today).state
                == .unknown)
        let once = Self.entry(frequency: .never, distributions: [])
        #expect(DatabaseQualities.living(once, probes: [:], today: Self.today).state == .unknown)
        #expect(DatabaseQualities.living(once, probes: [:], today: Self.today).en.contains("published once"))
    }

    // MARK: Sufficient, clean, correct

    @Test func sufficientNamesWhatIsMissingAndHoldsTheExpectedCount() {
        #expect(DatabaseQualities.sufficient(Self.entry(), expectedRecords: nil).state == .met)
        #expect(DatabaseQualities.sufficient(Self.entry(), expectedRecords: 100).state == .met)
        let short = DatabaseQualities.sufficient(Self.entry(), expectedRecords: 101)
        #expect(short.state == .notMet)
        #expect(short.en == "100 records of 101 expected")
        var bare = Self.entry()
        bare.contactEmail = ""
        bare.recordCount = nil
        bare.distributions[0].licence = ""
        let missing = DatabaseQualities.sufficient(bare, expectedRecords: nil)
        #expect(missing.state == .notMet)
        #expect(missing.en == "missing: record count, licence of each open distribution, contact point")
        #expect(missing.vi == "còn thiếu: số bản ghi, giấy phép của mỗi phân phối mở, đầu mối liên hệ")
    }

    @Test func cleanAndCorrectAreUnknownUntilCheckedThenFollowTheEvidence() {
        #expect(DatabaseQualities.clean(nil).state == .unknown)
        let sample = SampleCheck(checkedOn: Self.today, rows: 200, duplicateRows: 0, problems: [])
        #expect(DatabaseQualities.clean(sample).state == .met)
        var duplicated = sample
        duplicated.duplicateRows = 3
        #expect(DatabaseQualities.clean(duplicated).en == "3 duplicate records in a sample of 200")
        #expect(DatabaseQualities.correct(nil).state == .unknown)
        let audit = DatabaseAudit(
            auditedOn: Self.today, sampled: 400, wrong: 2, passed: true, findings: "", evidence: "")
        #expect(DatabaseQualities.correct(audit).state == .met)
        #expect(DatabaseQualities.correct(audit).en == "audited 2026-12-07: 2 wrong of 400 sampled")
        var failed = audit
        failed.passed = false
        #expect(DatabaseQualities.correct(failed).state == .notMet)
    }

    // MARK: Metadata score and class

    @Test func theMetadataScoreFollowsTheSchemeAndSharesDistributionPoints() {
        let entry = Self.entry()
        let unprobed = MetadataScore.of(entry, probes: [:])
        #expect(unprobed.items.reduce(0) { $0 + $1.maximum } == MetadataScore.maximum)
        // Everything but the probes (50 + 30), the media type (10), the file size (5) and the
        // date of issue (5: the entry is not connected to the sharing platform).
        #expect(unprobed.points == 405 - 100)
        #expect(unprobed.rating == .good)
        var two = entry
        two.distributions.append(Distribution(accessURL: "https://dulieu.example.gov.vn/xlsx", format: .xlsx))
        let shared = MetadataScore.of(two, probes: [:])
        let item = { (name: String) in shared.items.first { $0.indicator == name }?.points }
        #expect(item("DownloadURL") == 10)
        #expect(item("Non-proprietary") == 10)
        #expect(item("Machine readable") == 20)
        #expect(MetadataScore.Rating.of(351) == .excellent && MetadataScore.Rating.of(350) == .good)
        #expect(MetadataScore.Rating.of(221) == .good && MetadataScore.Rating.of(220) == .sufficient)
        #expect(MetadataScore.Rating.of(121) == .sufficient && MetadataScore.Rating.of(120) == .bad)
    }

    @Test func theClassFollowsItsRule() {
        let met = QualityFinding(.met, en: "", vi: "")
        let unknown = QualityFinding(.unknown, en: "", vi: "")
        let notMet = QualityFinding(.notMet, en: "", vi: "")
        let good = MetadataScore.of(Self.entry(), probes: [:])
        let all = DatabaseQualities(living: met, sufficient: met, clean: met, correct: met)
        #expect(DatabaseClass.of(all, score: good) == .a)
        var some = all
        some.clean = unknown
        #expect(DatabaseClass.of(some, score: good) == .b)
        some.correct = notMet
        #expect(DatabaseClass.of(some, score: good) == .c)
        let bad = MetadataScore(items: [])
        #expect(DatabaseClass.of(all, score: bad) == .c)
    }

    // MARK: Drafts and import

    @Test func aDraftNamesEveryProblemByFieldInBothLanguages() {
        var draft = CatalogueDraft(Self.entry())
        draft.code = "hn sdd"
        draft.lastUpdate = "2026-12-08"
        draft.themes = ["ECON", "FOOD"]
        draft.distributions = [.init(accessURL: "ftp://example.vn/x", format: "DOCX")]
        draft.access = "restricted"
        draft.accessBasis = ""
        #expect(throws: ValidationFailure.self) { try draft.entry(today: Self.today) }
        do {
            _ = try draft.entry(today: Self.today)
        } catch {
            let fields = error.errors.compactMap(\.column)
            #expect(
                fields == [
                    "code", "themes[1]", "lastUpdate", "accessBasis", "distributions[0].accessURL",
                    "distributions[0].format",
                ])
            #expect(error.errors.allSatisfy { $0.vietnamese != nil })
        }
        let back = try? CatalogueDraft(Self.entry()).entry(today: Self.today)
        #expect(back == Self.entry())
    }

    @Test func aCSVImportIsAllOrNothingWithEveryBadRowNamed() throws {
        let header = CatalogueCSV.columns.map(\.column).joined(separator: ",")
        let good =
            "HN-A,01,local,Cơ sở A,A,,,,,ECON,MONTHLY,open,,10,2026-11-01,2026-11-01,,CSV,text/csv,https://a.example.vn/,,,"
        let badDate =
            "HN-B,01,local,Cơ sở B,B,,,,,ECON,MONTHLY,open,,10,2026-11-01,2027-01-01,,CSV,text/csv,https://b.example.vn/,,,"
        let badCount = "HN-C,01,local,Cơ sở C,C,,,,,ECON,MONTHLY,open,,mười,,,,CSV,,https://c.example.vn/,,,"
        let entries = try CatalogueCSV.entries([header, good].joined(separator: "\n"), today: Self.today)
        #expect(entries.map(\.code) == ["HN-A"])
        #expect(throws: ValidationFailure.self) {
            try CatalogueCSV.entries(
                [header, good, badDate, badCount, good].joined(separator: "\n"), today: Self.today)
        }
        do {
            _ = try CatalogueCSV.entries(
                [header, good, badDate, badCount, good].joined(separator: "\n"), today: Self.today)
        } catch {
            #expect(error.errors.map(\.line) == [3, 4, 5])
            #expect(error.errors.map(\.column) == ["last_update", "record_count", "code"])
        }
    }

    // MARK: Samples

    @Test func aCSVSampleIsCheckedAgainstItsColumnsAndForDuplicates() throws {
        let declared = Distribution(accessURL: "https://a.vn/", format: .csv, columns: ["ma", "ten"])
        let bytes = { (text: String) in Array(text.utf8) }
        let clean = try SampleCheck.of(bytes("ma,ten\n1,An\n2,Bình\n"), distribution: declared, on: Self.today)
        #expect(clean.rows == 2 && clean.duplicateRows == 0 && clean.problems.isEmpty)
        #expect(DatabaseQualities.clean(clean).state == .met)
        let dirty = try SampleCheck.of(
            bytes("ten,ma\n1,An\n1,An\n3\n\"4,x\n"), distribution: declared, on: Self.today)
        #expect(dirty.duplicateRows == 1)
        #expect(dirty.problems.first == "the columns are ten, ma, not ma, ten")
        #expect(dirty.problems.contains("line 4 has another number of fields than the header"))
        #expect(dirty.problems.count == 3)
        #expect(DatabaseQualities.clean(dirty).state == .notMet)
        let undeclared = Distribution(accessURL: "https://a.vn/", format: .csv)
        #expect(try SampleCheck.of(bytes("a,b\n1,2\n"), distribution: undeclared, on: Self.today).problems.isEmpty)
        #expect(try SampleCheck.of([0xFF, 0xFE], distribution: undeclared, on: Self.today).problems.count == 1)
    }

    @Test func aJSONSampleMustParseAndOtherFormatsAreNotChecked() throws {
        let json = Distribution(accessURL: "https://a.vn/", format: .json)
        #expect(try SampleCheck.of(Array(#"{"a": [1, 2]}"#.utf8), distribution: json, on: Self.today).problems.isEmpty)
        #expect(
            try SampleCheck.of(Array("{a".utf8), distribution: json, on: Self.today).problems == [
                "the sample is not JSON"
            ])
        #expect(throws: ValidationFailure.self) {
            try SampleCheck.of(
                [1, 2, 3], distribution: Distribution(accessURL: "https://a.vn/", format: .pdf), on: Self.today)
        }
    }

    // MARK: Completion

    @Test func completionCountsUpToWhatIsExpectedAndByTheDeadline() {
        let deadline = CatalogueExpectations.standardDeadline
        let day = { (month: Int, d: Int) in CivilDate(year: 2026, month: month, day: d)! }
        let databases = [
            CatalogueCompletion.Database(sufficient: true, living: true, firstApproved: day(3, 31)),
            CatalogueCompletion.Database(sufficient: true, living: false, firstApproved: day(4, 1)),
            CatalogueCompletion.Database(sufficient: false, living: true, firstApproved: day(1, 10)),
            CatalogueCompletion.Database(sufficient: true, living: true, firstApproved: day(12, 1)),
        ]
        let now = CatalogueCompletion.of(databases, expected: 2, deadline: deadline, asOf: day(11, 30))
        #expect(now.declared == 3 && now.complete == 2 && now.completeCounted == 2)
        #expect(now.byDeadline == 1 && now.living == 2)
        #expect(now.completionRate == 100 && now.deadlineRate == 50)
        #expect(abs((now.livingRate ?? 0) - 200.0 / 3) < 1e-12)
        let more = CatalogueCompletion.of(databases, expected: 1, deadline: deadline, asOf: day(12, 1))
        #expect(more.complete == 3 && more.completeCounted == 1 && more.completionRate == 100)
        let none = CatalogueCompletion.of([], expected: 0, deadline: deadline, asOf: day(12, 1))
        #expect(none.completionRate == nil && none.livingRate == nil)
    }

    @Test func oneUnitsExtraDatabasesNeverMakeUpForAnothersAndTheTreeSumsThem() {
        var ahead = CatalogueCompletion()
        ahead.expected = 1
        ahead.declared = 3
        ahead.complete = 3
        ahead.completeCounted = 1
        var behind = CatalogueCompletion()
        behind.expected = 2
        let parents: [String: String?] = ["BCD": nil, "01": "BCD", "00004": "01", "00008": "01", "79": "BCD"]
        let rolled = CatalogueCompletion.rolledUp(["00004": ahead, "00008": behind], parents: parents)
        #expect(rolled["01"]?.expected == 3 && rolled["01"]?.completeCounted == 1)
        #expect(abs((rolled["01"]?.completionRate ?? 0) - 100.0 / 3) < 1e-12)
        #expect(rolled["BCD"] == rolled["01"] && rolled["79"] == nil && rolled["00004"] == ahead)
    }

    @Test func aUnitsExpectationWinsOverItsKindsAndBadOnesAreNamed() throws {
        let expectations = CatalogueExpectations(byKind: ["province": 3, "commune": 1], byUnit: ["01": 5])
        #expect(expectations.expected(unit: "01", kind: .province) == 5)
        #expect(expectations.expected(unit: "79", kind: .province) == 3)
        #expect(expectations.expected(unit: "BCA", kind: .ministry) == 0)
        do {
            _ = try CatalogueExpectations(byKind: ["village": 1, "commune": -1]).checked()
            Issue.record("bad expectations accepted")
        } catch {
            #expect(error.errors.compactMap(\.column) == ["byKind.commune", "byKind.village"])
        }
    }

    // MARK: Link probes

    @Test(
        arguments: [
            ([8, 8, 8, 8], true), ([127, 0, 0, 1], false), ([10, 1, 2, 3], false), ([172, 16, 0, 1], false),
            ([172, 32, 0, 1], true), ([192, 168, 1, 1], false), ([169, 254, 169, 254], false),
            ([100, 64, 0, 1], false),
            ([0, 0, 0, 0], false), ([224, 0, 0, 1], false), ([203, 0, 113, 5], false), ([14, 225, 0, 1], true),
        ] as [([UInt8], Bool)])
    func onlyPublicIPv4AddressesAreAsked(address: [UInt8], asked: Bool) {
        #expect(LinkChecks.isPublic(ipv4: address) == asked)
    }

    @Test func onlyPublicIPv6AddressesAreAsked() {
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        let mapped = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 127, 0, 0, 1]
        let mappedPublic = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 8, 8, 8, 8]
        let uniqueLocal = [0xFD] + [UInt8](repeating: 0, count: 15)
        let linkLocal = [0xFE, 0x80] + [UInt8](repeating: 0, count: 14)
        let global = [0x20, 0x01, 0x48, 0x60] + [UInt8](repeating: 0, count: 12)
        #expect(!LinkChecks.isPublic(ipv6: loopback) && !LinkChecks.isPublic(ipv6: mapped))
        #expect(!LinkChecks.isPublic(ipv6: uniqueLocal) && !LinkChecks.isPublic(ipv6: linkLocal))
        #expect(LinkChecks.isPublic(ipv6: global) && LinkChecks.isPublic(ipv6: mappedPublic))
    }

    @Test func aLinkAnswersBelow400AndIllustrativeLinksAreNotAsked() {
        #expect(LinkChecks.answered(status: 200) && LinkChecks.answered(status: 302))
        #expect(!LinkChecks.answered(status: 404) && !LinkChecks.answered(status: nil))
        var entry = Self.entry()
        entry.distributions.append(Distribution(accessURL: entry.distributions[0].accessURL, format: .json))
        #expect(
            LinkChecks.links(of: entry) == [
                "https://dulieu.example.gov.vn/csdl", "https://dulieu.example.gov.vn/csdl.csv",
            ])
        entry.illustrative = true
        #expect(LinkChecks.links(of: entry).isEmpty)
    }

    // MARK: DCAT-AP

    @Test func turtleNamesNestedNodesApartAndEscapesWhatItMust() {
        var node = RDFNode(id: "catalogue/X#dataset", types: ["dcat:Dataset"])
        node.add("dct:title", [.text("Đất \"đai\"\n\u{1}", language: "vi")])
        var agent = RDFNode(id: "units/01", types: ["foaf:Agent"])
        agent.add("foaf:name", [.text("Hà Nội", language: "vi")])
        node.add("dct:publisher", [.node(agent)])
        var contact = RDFNode(id: nil, types: ["vcard:Kind"])
        contact.add("vcard:hasEmail", [.iri("mailto:a@b.vn")])
        node.add("dcat:contactPoint", [.node(contact)])
        node.add("dct:modified", [.typed("2026-01-01", datatype: "xsd:date")])
        node.add("dcat:keyword", [.text("a", language: "vi"), .text("b", language: "vi")])
        let expected = """
            <catalogue/X#dataset> a dcat:Dataset ;
                dct:title "Đất \\"đai\\"\\n\\u0001"@vi ;
                dct:publisher <units/01> ;
                dcat:contactPoint [ a vcard:Kind ;
                    vcard:hasEmail <mailto:a@b.vn> ] ;
                dct:modified "2026-01-01"^^xsd:date ;
                dcat:keyword "a"@vi, "b"@vi .

            <units/01> a foaf:Agent ;
                foaf:name "Hà Nội"@vi .


            """
        #expect(TurtleWriter.write(node) == expected)
        #expect(TurtleWriter.iri("https://x.vn/ph\u{1EA7}n a|b") == "<https://x.vn/phần%20a%7Cb>")
    }

    @Test func theExportWritesTheSameNodesAsJSONLDAndTurtle() throws {
        let owner = DCATExport.Publisher(code: "01", nameVi: "Hà Nội", nameEn: "Ha Noi", national: false)
        let node = DCATExport.dataset(Self.entry(), owner: owner)
        var json = DCATExport.Format.jsonLD.head(base: "https://mandate.example.vn/")
        json += DCATExport.Format.jsonLD.write(node) + DCATExport.Format.jsonLD.tail
        let parsed = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        #expect((parsed?["@context"] as? [String: Any])?["@base"] as? String == "https://mandate.example.vn/")
        let graph = parsed?["@graph"] as? [[String: Any]]
        #expect(graph?.first?["@id"] as? String == "catalogue/HN-SDD#dataset")
        #expect((graph?.first?["dct:modified"] as? [[String: String]])?.first?["@value"] == "2026-11-30")
        let turtle = TurtleWriter.write(node)
        #expect(
            TurtleWriter.head(base: "https://mandate.example.vn/").hasPrefix("@base <https://mandate.example.vn/> .\n"))
        #expect(turtle.hasPrefix("<catalogue/HN-SDD#dataset> a dcat:Dataset ;"))
        #expect(turtle.contains("<units/01> a foaf:Agent ;"))
        // A rendering is the node's statements, marked with what they were made from.
        let rendering = DCATExport.rendering(Self.entry(), version: 3, owner: owner, as: .turtle)
        #expect(rendering.body == Array(turtle.utf8) && rendering.version == 3 && rendering.publisher == owner.mark)
        var renamed = owner
        renamed.nameEn = "Hanoi"
        #expect(renamed.mark != owner.mark)
        #expect(DCATExport.Format.negotiated("text/turtle, application/json") == .turtle)
        #expect(DCATExport.Format.negotiated("application/json, text/turtle") == .jsonLD)
        #expect(DCATExport.Format.negotiated(nil) == .jsonLD)
        #expect(TurtleWriter.literal("a \"b\"\n\\") == #""a \"b\"\n\\""#)
        #expect(TurtleWriter.iri("https://x.vn/a b{c}") == "<https://x.vn/a%20b%7Bc%7D>")
    }
}
