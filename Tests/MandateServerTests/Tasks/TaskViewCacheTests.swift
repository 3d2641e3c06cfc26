import Foundation
import HummingbirdTesting
import Logging
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

@Suite struct TaskViewCacheTests {
    @Test func theBoardThePageAndTheMeasuresFollowEveryWrite() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let before = try await client.json(EscalationBoard.self, "/api/v1/escalation?limit=5000")
            let measuresBefore = try await client.json(
                TasksAPITests.DeliveryMeasuresBody.self, "/api/v1/deliveryMeasures?unit=01")
            _ = try await client.json(TasksAPITests.DeliveryMeasuresBody.self, "/api/v1/deliveryMeasures")
            _ = try await TaskPagesTests.page(client, "/escalation")
            // The profile's count of its unit's tasks and the overview's count of all, read once
            // here so that they are kept.
            func counted(_ uri: String, _ pattern: String) async throws -> Int? {
                let html = try await client.execute(
                    uri: uri, method: .get, headers: [.cookie: "lang=en", .cacheControl: "no-cache"]
                ) { $0.text }
                return PagesTests.first(pattern, in: html).flatMap { Int($0.filter(\.isNumber)) }
            }
            let profileCount = #"<p class="meta">([0-9,]+) tasks · "#
            let overviewCount = #"<a href="/tasks"><strong>([0-9,]+)</strong>"#
            let ledBefore = try #require(try await counted("/units/01", profileCount))
            let allBefore = try #require(try await counted("/", overviewCount))

            let (status, _) = try await TasksAPITests.post(
                client, "/api/v1/tasks",
                TasksAPITests.newTask("CACHE-1", deadline: TasksAPITests.today(plus: 3)), as: analyst)
            #expect(status == .created)
            let after = try await client.json(EscalationBoard.self, "/api/v1/escalation?limit=5000")
            #expect(after.dueWithin7Days.contains { $0.code == "CACHE-1" })
            #expect(after.totals.dueWithin7Days == before.totals.dueWithin7Days + 1)
            #expect(try await TaskPagesTests.page(client, "/escalation").contains("/tasks/CACHE-1"))
            #expect(try await counted("/units/01", profileCount) == ledBefore + 1)
            #expect(try await counted("/", overviewCount) == allBefore + 1)
            let measuresAfter = try await client.json(
                TasksAPITests.DeliveryMeasuresBody.self, "/api/v1/deliveryMeasures?unit=01")
            #expect(measuresAfter.measures.first?.tasksLed == (measuresBefore.measures.first?.tasksLed ?? 0) + 1)
            let all = try await client.json(TasksAPITests.DeliveryMeasuresBody.self, "/api/v1/deliveryMeasures")
            #expect(all.measures.first { $0.unit == "01" } == measuresAfter.measures.first)
            // A smaller limit is the same board, cut.
            let cut = try await client.json(EscalationBoard.self, "/api/v1/escalation?limit=1")
            #expect(cut == after.limited(to: 1))
        }
    }

    @Test func twoInstancesOnOneDatabaseNeverServeAnOlderBoard() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mandate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = DatabaseURL.sqliteFile(path: folder.appendingPathComponent("shared.sqlite").path)
        var logger = Logger(label: "mandate.test")
        logger.logLevel = .warning
        try await DatabaseConnector.withDatabase(url, logger: logger) { [logger] first in
            let writer = Store(database: first)
            try await writer.prepare(demo: false, logger: logger)
            try await writer.tasks.save(DemoTasks.programme)
            try await DatabaseConnector.withDatabase(url, logger: logger) { second in
                let reader = TaskViewCache(tasks: Store(database: second).tasks)
                let today = CivilDate(iso: "2026-05-01")!
                #expect(try await reader.escalation(today: today).totals.dueWithin7Days == 0)
                let measures = try await reader.deliveryMeasures(today: today)
                #expect(measures.measures.isEmpty)

                let task = ProgrammeTask(
                    code: "SHARED-1", title: "Kết nối dữ liệu", description: "", deliverable: "Báo cáo",
                    programme: "NQ57", orientation: 3, leadUnit: "01", coordinatingUnits: [],
                    start: CivilDate(iso: "2026-04-01")!, deadline: CivilDate(iso: "2026-05-04")!, origin: .assigned,
                    illustrative: false, createdAt: "2026-04-01T00:00:00.000Z")
                _ = try await writer.tasks.create(task, by: Actor(userId: nil, at: "2026-04-01T00:00:00.000Z"))
                #expect(try await reader.escalation(today: today).dueWithin7Days.map(\.code) == ["SHARED-1"])
                #expect(try await reader.deliveryMeasures(today: today).measures.map(\.unit) == ["01"])
                // The next day is another board.
                #expect(try await reader.escalation(today: today.adding(days: 3)).dueWithin7Days.map(\.days) == [0])
            }
        }
    }
}
