import Foundation
import MandateCore
import MandateStore
import Testing

enum TaskFixture {
    static let programme = Programme(
        code: "NQ57", nameVi: "Nghị quyết 57-NQ/TW", nameEn: "Resolution 57-NQ/TW",
        orientations: [
            Orientation(number: 1, titleVi: "Hành động đột phá", titleEn: "Breakthrough action"),
            Orientation(number: 3, titleVi: "Nhiệm vụ trọng tâm", titleEn: "Key tasks"),
        ])

    static func task(
        _ code: String = "T1", lead: String = "01", deadline: String = "2026-03-31"
    ) throws
        -> ProgrammeTask
    {
        try TaskDraft(
            code: code, title: "Hoàn thành danh mục cơ sở dữ liệu", deliverable: "Danh mục CSDL", programme: "NQ57",
            orientation: 3, leadUnit: lead, coordinatingUnits: lead == "BKHCN" ? [] : ["BKHCN"], start: "2026-01-01",
            deadline: deadline
        ).task(
            origin: .assigned, at: "2026-01-01T00:00:00.000Z", isKnownUnit: { _ in true },
            orientations: ["NQ57": [1, 3]], isKnownIndicator: { _ in false })
    }

    static func at(_ day: String) -> Actor { Actor(userId: "u-1", at: "\(day)T09:00:00.000Z") }
}

@Suite struct TaskStoreTests {
    @Test(arguments: TestDatabase.available)
    func aReportGoesFromDraftToAcceptedAndIntoTheLog(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            #expect(try await store.tasks.programmes() == [TaskFixture.programme])
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "Danh mục đã hoàn thành", links: ["https://x.vn/a"]),
                on: "T1", by: TaskFixture.at("2026-03-20"), illustrative: false)
            let content = Data("bằng chứng".utf8)
            let withFile = try await store.tasks.attach(
                content, name: "danh-muc.pdf", contentType: "application/pdf", to: draft.id,
                by: TaskFixture.at("2026-03-20"))
            #expect(withFile.files.map(\.sha256) == [SHA256Hex.of(content)])
            let stored = try #require(try await store.tasks.file(SHA256Hex.of(content)))
            #expect(stored.content == content)
            #expect(try await store.tasks.get("T1")?.status(today: CivilDate(iso: "2026-03-21")!) == .inProgress)

            _ = try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-03-30"))
            #expect(try await store.tasks.get("T1")?.status(today: CivilDate(iso: "2026-04-05")!) == .submitted)
            let sizeBefore = try await store.log.size()
            let accepted = try await store.tasks.decide(
                draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-04-02"))
            #expect(accepted.state == .accepted)
            #expect(try await store.log.size() == sizeBefore + 1)
            let record = try #require(try await store.tasks.get("T1"))
            #expect(record.status(today: CivilDate(iso: "2026-05-01")!) == .acceptedOnTime)
            #expect(record.task.coordinatingUnits == ["BKHCN"])

            // A second decision on the same report is refused and changes nothing.
            await #expect(throws: StateConflict.self) {
                try await store.tasks.decide(draft.id, accept: false, comment: "no", by: TaskFixture.at("2026-04-03"))
            }
            #expect(try await store.tasks.report(draft.id)?.state == .accepted)
            #expect(try await store.log.size() == sizeBefore + 1)
            let kinds = try await store.tasks.history(of: "T1").map(\.kind)
            #expect(kinds == [.assigned, .progressRecorded, .fileAttached, .reportSubmitted, .reportAccepted])
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputChangesNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            await #expect(throws: StateConflict.self) {
                try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            }
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.recordProgress(
                    ProgressInput(unit: "01", percent: 140, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                    illustrative: false)
            }
            await #expect(throws: RecordNotFound.self) {
                try await store.tasks.recordProgress(
                    ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "NOPE",
                    by: TaskFixture.at("2026-02-01"), illustrative: false)
            }
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.attach(
                    Data(count: EvidenceFile.maximumSize + 1), name: "big.bin", contentType: "", to: draft.id,
                    by: TaskFixture.at("2026-02-01"))
            }
            // Deciding a draft is refused: it was never submitted.
            await #expect(throws: StateConflict.self) {
                try await store.tasks.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-02-02"))
            }
            _ = try await store.tasks.cancel("T1", reason: "Gộp vào nhiệm vụ khác", by: TaskFixture.at("2026-02-03"))
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.recordProgress(
                    ProgressInput(unit: "01", percent: 50, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-04"),
                    illustrative: false)
            }
            await #expect(throws: StateConflict.self) {
                try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-02-04"))
            }
            #expect(try await store.tasks.reports(of: "T1").map(\.state) == [.draft])
            #expect(try await store.tasks.history(of: "T1").map(\.kind) == [.assigned, .progressRecorded, .cancelled])
            #expect(try await store.tasks.get("T1")?.status(today: CivilDate(iso: "2026-05-01")!) == .cancelled)
        }
    }

    @Test(arguments: TestDatabase.available)
    func extensionsProposalsAndRecommendations(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            let request = try await store.tasks.requestExtension(
                ExtensionInput(deadline: "2026-04-30", reason: "Chờ số liệu"), on: "T1",
                by: TaskFixture.at("2026-03-15"))
            await #expect(throws: StateConflict.self) {
                try await store.tasks.requestExtension(
                    ExtensionInput(deadline: "2026-05-30", reason: "again"), on: "T1", by: TaskFixture.at("2026-03-16"))
            }
            _ = try await store.tasks.decideExtension(
                request.id, grant: true, comment: "Đồng ý", by: TaskFixture.at("2026-03-20"))
            await #expect(throws: StateConflict.self) {
                try await store.tasks.decideExtension(
                    request.id, grant: false, comment: nil, by: TaskFixture.at("2026-03-21"))
            }
            let record = try #require(try await store.tasks.get("T1"))
            #expect(record.task.deadline == CivilDate(iso: "2026-03-31"))
            #expect(record.progress.effectiveDeadline == CivilDate(iso: "2026-04-30"))
            #expect(record.status(today: CivilDate(iso: "2026-04-15")!) == .notStarted)

            var proposal = try TaskFixture.task("P1", lead: "BKHCN", deadline: "2026-12-31")
            proposal.origin = .proposed
            proposal.coordinatingUnits = []
            proposal.signedOffAt = "2026-02-01T09:00:00.000Z"
            _ = try await store.tasks.create(proposal, by: TaskFixture.at("2026-02-01"))
            #expect(try await store.tasks.get("P1")?.status(today: CivilDate(iso: "2026-03-01")!) == .proposed)
            _ = try await store.tasks.adopt("P1", by: TaskFixture.at("2026-02-10"))
            #expect(try await store.tasks.get("P1")?.status(today: CivilDate(iso: "2026-03-01")!) == .notStarted)
            await #expect(throws: StateConflict.self) {
                try await store.tasks.adopt("P1", by: TaskFixture.at("2026-02-11"))
            }

            let query = TaskQuery(unit: "BKHCN", today: CivilDate(iso: "2026-05-01")!)
            #expect(try await store.tasks.list(query).items.map(\.task.code) == ["T1", "P1"])
            var overdue = query
            overdue.status = .overdue
            #expect(try await store.tasks.list(overdue).items.map(\.task.code) == ["T1"])
            var search = TaskQuery(search: "danh muc", today: CivilDate(iso: "2026-05-01")!)
            #expect(try await store.tasks.list(search).total == 2)
            search.search = "khong co"
            #expect(try await store.tasks.list(search).total == 0)

            let raised = try await store.tasks.raise(
                RecommendationInput(
                    fromUnit: "01", toUnit: "BCD", title: "Hướng dẫn kỹ thuật", body: "", due: "2026-04-01"),
                by: TaskFixture.at("2026-03-01"), signedOff: true, illustrative: false)
            let board = try await store.tasks.escalation(today: CivilDate(iso: "2026-05-02")!, limit: 100)
            #expect(board.overdue.map(\.code) == ["T1"])
            #expect(board.overdue.first?.days == 2)
            #expect(board.unansweredRecommendations.map(\.id) == [raised.id])
            _ = try await store.tasks.answer(raised.id, text: "Đã ban hành", by: TaskFixture.at("2026-03-05"))
            await #expect(throws: StateConflict.self) {
                try await store.tasks.answer(raised.id, text: "again", by: TaskFixture.at("2026-03-06"))
            }
            #expect(
                try await store.tasks.escalation(today: CivilDate(iso: "2026-05-02")!, limit: 100)
                    .unansweredRecommendations.isEmpty)
            let facts = try await store.tasks.deliveryFacts()
            #expect(facts.map(\.task.code).sorted() == ["P1", "T1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func returnedReportsAwaitResubmission(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(
                try TaskFixture.task(deadline: "2026-12-31"), by: TaskFixture.at("2026-01-01"))
            let first = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            _ = try await store.tasks.submit(first.id, by: TaskFixture.at("2026-02-02"))
            await #expect(throws: ValidationFailure.self) {
                try await store.tasks.decide(first.id, accept: false, comment: " ", by: TaskFixture.at("2026-02-03"))
            }
            _ = try await store.tasks.decide(
                first.id, accept: false, comment: "Thiếu số liệu", by: TaskFixture.at("2026-02-03"))
            let today = CivilDate(iso: "2026-02-10")!
            #expect(try await store.tasks.get("T1")?.status(today: today) == .returned)
            #expect(
                try await store.tasks.escalation(today: today, limit: 10).returnedAwaitingResubmission.map(\.report)
                    == [first.id])
            let second = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "y"), on: "T1", by: TaskFixture.at("2026-02-11"),
                illustrative: false)
            _ = try await store.tasks.submit(second.id, by: TaskFixture.at("2026-02-12"))
            #expect(try await store.tasks.escalation(today: today, limit: 10).returnedAwaitingResubmission.isEmpty)
            let facts = try await store.tasks.deliveryFacts()
            #expect(facts.first?.submittedMonths["01"] == [DeliveryMeasures.monthIndex(CivilDate(iso: "2026-02-01")!)])
        }
    }

    @Test(arguments: TestDatabase.available)
    func rankingsReadDeliveryMeasuresAsOfThePeriodsEnd(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.tasks.save(TaskFixture.programme)
            _ = try await store.tasks.create(try TaskFixture.task("A"), by: TaskFixture.at("2026-01-01"))
            _ = try await store.tasks.create(
                try TaskFixture.task("B", deadline: "2026-02-28"), by: TaskFixture.at("2026-01-01"))
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 100, narrative: "x"), on: "A", by: TaskFixture.at("2026-03-01"),
                illustrative: false)
            _ = try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-03-02"))
            _ = try await store.tasks.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-03-03"))
            let source = TaskDeliveryMeasures(
                tasks: store.tasks, units: store.units, today: { CivilDate(iso: "2026-12-01")! })
            // As of 31 March: A on time, B overdue by 31 days.
            let q1 = try await source.measures(kind: .province, period: try Period("2026Q1"))
            #expect(q1["01"]?[.onTimeRate] == 50)
            #expect(q1["01"]?[.overdueCount] == 1)
            #expect(q1["01"]?[.meanDaysLate] == 31)
            // The coordinating ministry has no led task: only its reporting, which is not a province's.
            #expect(q1["BKHCN"] == nil)
            let ministries = try await source.measures(kind: .ministry, period: try Period("2026Q1"))
            #expect(ministries["BKHCN"]?[.reportingTimeliness] == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyWriteBumpsTheDataVersionAndARefusedOneDoesNot(database: TestDatabase) async throws {
        try await database.withStore { store in
            var seen = [try await store.tasks.dataVersion()]
            func changed() async throws -> Bool {
                let version = try await store.tasks.dataVersion()
                defer { seen.append(version) }
                return version > seen.last ?? .max
            }
            try await store.tasks.save(TaskFixture.programme)
            #expect(try await changed())
            _ = try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            #expect(try await changed())
            await #expect(throws: StateConflict.self) {
                try await store.tasks.create(try TaskFixture.task(), by: TaskFixture.at("2026-01-01"))
            }
            #expect(try await !changed())
            let draft = try await store.tasks.recordProgress(
                ProgressInput(unit: "01", percent: 40, narrative: "x"), on: "T1", by: TaskFixture.at("2026-02-01"),
                illustrative: false)
            #expect(try await changed())
            _ = try await store.tasks.submit(draft.id, by: TaskFixture.at("2026-02-02"))
            #expect(try await changed())
            _ = try await store.tasks.decide(draft.id, accept: true, comment: nil, by: TaskFixture.at("2026-02-03"))
            #expect(try await changed())
            let request = try await store.tasks.requestExtension(
                ExtensionInput(deadline: "2026-05-31", reason: "Chờ số liệu"), on: "T1",
                by: TaskFixture.at("2026-02-04"))
            #expect(try await changed())
            _ = try await store.tasks.decideExtension(
                request.id, grant: true, comment: nil, by: TaskFixture.at("2026-02-05"))
            #expect(try await changed())
            let raised = try await store.tasks.raise(
                RecommendationInput(fromUnit: "01", toUnit: "BCD", title: "Đề nghị", body: "", due: "2026-03-01"),
                by: TaskFixture.at("2026-02-06"), signedOff: true, illustrative: false)
            #expect(try await changed())
            _ = try await store.tasks.answer(raised.id, text: "Đã trả lời", by: TaskFixture.at("2026-02-07"))
            #expect(try await changed())
            _ = try await store.tasks.cancel("T1", reason: "Điều chỉnh", by: TaskFixture.at("2026-02-08"))
            #expect(try await changed())
            // Reads change nothing.
            _ = try await store.tasks.escalation(today: CivilDate(iso: "2026-02-09")!, limit: 10)
            _ = try await store.tasks.deliveryFacts()
            #expect(try await !changed())
        }
    }
}
