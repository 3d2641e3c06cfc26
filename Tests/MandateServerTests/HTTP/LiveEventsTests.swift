import Foundation
import Logging
import MandateCore
import MandateStore
import Synchronization
import Testing

@testable import MandateServer

@Suite struct LiveEventsTests {
    static func withEvents(_ body: @Sendable (Store, LiveEvents) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: logger).database
        let store = Store(database: database)
        try await store.prepare(demo: false, logger: logger)
        try await body(store, LiveEvents(log: store.log, logger: logger))
        await database.close()
    }

    static func publish(_ store: Store, _ numbers: Range<Int>) async throws {
        for number in numbers {
            let fact = try PublishedFact(
                kind: .approvedValue, key: "approved-value/T/01/2026/\(number)",
                fields: ["indicator": "T", "unit": "01", "period": "2026", "value": "\(number)"])
            _ = try await store.database.transaction { db in try await store.log.append(fact, in: db) }
        }
    }

    /// The next `count` events of a stream.
    static func take(_ count: Int, from stream: AsyncStream<LiveEvent>) async -> [LiveEvent] {
        var events: [LiveEvent] = []
        for await event in stream {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }

    @Test func newFactsReachEveryClientInOrderWithTheirLeafIndexAsId() async throws {
        try await Self.withEvents { store, events in
            try await Self.publish(store, 0..<3)
            let first = try await events.subscribe(after: nil)
            let second = try await events.subscribe(after: nil)
            #expect(first.backlog.isEmpty && !first.tooFarBehind)
            try await Self.publish(store, 3..<5)
            try await events.poll()
            for subscription in [first, second] {
                let received = await Self.take(2, from: subscription.stream)
                #expect(received.map(\.id) == [3, 4])
                #expect(received.allSatisfy { $0.name == "value-approved" })
                #expect(received.first?.text.hasPrefix("id: 3\nevent: value-approved\ndata: {\"fields\":") == true)
            }
        }
    }

    /// Facts logged before a client connects, that the service has not polled yet (e.g. demo data
    /// loading as the server starts), are not sent to it as if they were new.
    @Test func aClientIsSentOnlyWhatIsLoggedAfterItConnects() async throws {
        try await Self.withEvents { store, events in
            try await events.poll()
            try await Self.publish(store, 0..<4)
            let late = try await events.subscribe(after: nil)
            #expect(late.backlog.isEmpty)
            try await Self.publish(store, 4..<5)
            try await events.poll()
            #expect(await Self.take(1, from: late.stream).map(\.id) == [4])
        }
    }

    /// A commit that appends wakes the service at once: with an hour between polls, the event
    /// still arrives.
    @Test func aCommitWakesTheServiceWithoutWaitingForThePoll() async throws {
        let logger = Logger(label: "test")
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: logger).database
        let store = Store(database: database)
        try await store.prepare(demo: false, logger: logger)
        let events = LiveEvents(
            log: store.log, logger: logger, wakeups: database.logWakeups.updates(), interval: .seconds(3600))
        let service = Task { try await events.run() }
        let client = try await events.subscribe(after: nil)
        try await Self.publish(store, 0..<1)
        let received = await withTaskGroup(of: [UInt64?].self) { group in
            group.addTask { await Self.take(1, from: client.stream).map(\.id) }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
        #expect(received == [0])
        service.cancel()
        _ = try? await service.value
        await database.close()
    }

    /// When the day changes, the tasks whose deadline in force was the day before are announced
    /// as overdue, without an id (they are not facts of the log).
    @Test func tasksThatBecameOverdueAreAnnouncedWhenTheDayChanges() async throws {
        let logger = Logger(label: "test")
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: logger).database
        let store = Store(database: database)
        try await store.prepare(demo: true, logger: logger)
        let day = Mutex(try #require(CivilDate(iso: "2026-01-10")))
        let tasks = store.tasks
        let events = LiveEvents(
            log: store.log, logger: logger, interval: .seconds(3600),
            overdueOn: { try await LiveEvents.tasksOverdue(since: $0, in: tasks) },
            today: { day.withLock { $0 } })
        try await events.checkDay()
        let client = try await events.subscribe(after: nil)
        let next = try #require(CivilDate(iso: "2026-01-11"))
        day.withLock { $0 = next }
        // Independently: every task due on 10 January, not accepted by then, is overdue on the 11th.
        let expected = try await store.tasks.list(TaskQuery(today: next, limit: 100_000)).items.filter {
            $0.progress.workingDeadline.description == "2026-01-10" && $0.status(today: next) == .overdue
        }.map(\.task.code).sorted()
        #expect(!expected.isEmpty)
        try await events.checkDay()
        let received = await Self.take(expected.count, from: client.stream)
        #expect(received.allSatisfy { $0.id == nil && $0.name == "task-overdue" })
        #expect(received.first?.text.hasPrefix("event: task-overdue\ndata: {\"fields\":{") == true)
        let codes = received.compactMap { event -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
            return (object?["fields"] as? [String: String])?["task"]
        }
        #expect(codes.sorted() == expected)
        // The same day again announces nothing more.
        try await events.checkDay()
        try await Self.publish(store, 0..<1)
        try await events.poll()
        #expect(await Self.take(1, from: client.stream).first?.name == "value-approved")
        await database.close()
    }

    /// An extension asked for before the deadline but granted after it lapsed moves the working
    /// deadline, not the day the task turned overdue: the event comes on that day (as the status
    /// changes), and not again when the working deadline passes.
    @Test func aTaskExtendedLateIsAnnouncedOverdueOnTheDayItsStatusTurns() async throws {
        let logger = Logger(label: "test")
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: logger).database
        let store = Store(database: database)
        try await store.prepare(demo: false, logger: logger)
        try await store.tasks.save(
            Programme(code: "NQ57", nameVi: "Nghị quyết 57", nameEn: "Resolution 57", orientations: []))
        func at(_ day: String) -> Actor { Actor(userId: nil, at: "\(day)T09:00:00.000Z") }
        let task = try TaskDraft(
            code: "LATE-1", title: "Danh mục dữ liệu", deliverable: "Danh mục", programme: "NQ57", leadUnit: "01",
            start: "2026-01-01", deadline: "2026-03-31"
        ).task(
            origin: .assigned, at: at("2026-01-01").at, isKnownUnit: { _ in true }, orientations: ["NQ57": []],
            isKnownIndicator: { _ in false })
        _ = try await store.tasks.create(task, by: at("2026-01-01"))
        let request = try await store.tasks.requestExtension(
            ExtensionInput(deadline: "2026-04-30", reason: "Chờ số liệu"), on: "LATE-1", by: at("2026-03-20"))
        _ = try await store.tasks.decideExtension(request.id, grant: true, comment: nil, by: at("2026-04-05"))
        let record = try #require(try await store.tasks.get("LATE-1"))
        #expect(record.progress.workingDeadline == CivilDate(iso: "2026-04-30"))
        #expect(record.status(today: try #require(CivilDate(iso: "2026-04-01"))) == .overdue)
        #expect(record.status(today: try #require(CivilDate(iso: "2026-03-31"))) != .overdue)

        let since = try await LiveEvents.tasksOverdue(
            since: try #require(CivilDate(iso: "2026-04-01")), in: store.tasks)
        #expect(since.map(\.task.code) == ["LATE-1"])
        let event = LiveEvent(overdue: record, day: try #require(CivilDate(iso: "2026-04-01")))
        #expect(event.data.contains(#""deadline":"2026-03-31""#))

        // The day the working deadline passes, nothing is announced: the task was overdue already.
        let day = Mutex(try #require(CivilDate(iso: "2026-04-30")))
        let tasks = store.tasks
        let events = LiveEvents(
            log: store.log, logger: logger, interval: .seconds(3600),
            overdueOn: { try await LiveEvents.tasksOverdue(since: $0, in: tasks) }, today: { day.withLock { $0 } })
        try await events.checkDay()
        let client = try await events.subscribe(after: nil)
        day.withLock { $0 = CivilDate(iso: "2026-05-01") ?? $0 }
        try await events.checkDay()
        try await Self.publish(store, 0..<1)
        try await events.poll()
        #expect(await Self.take(1, from: client.stream).map(\.name) == ["value-approved"])
        await database.close()
    }

    @Test func aReconnectingClientGetsWhatItMissedThenTheLiveStream() async throws {
        try await Self.withEvents { store, events in
            try await Self.publish(store, 0..<2)
            _ = try await events.subscribe(after: nil)
            try await Self.publish(store, 2..<6)
            try await events.poll()
            let resumed = try await events.subscribe(after: 3)
            #expect(resumed.backlog.map(\.id) == [4, 5])
            try await Self.publish(store, 6..<7)
            try await events.poll()
            #expect(await Self.take(1, from: resumed.stream).map(\.id) == [6])
            // Too far behind: told to reload rather than sent a flood.
            try await Self.publish(store, 7..<(8 + Int(LiveEvents.maximumBacklog)))
            try await events.poll()
            #expect(try await events.subscribe(after: 0).tooFarBehind)
        }
    }

    /// An id a client sends past the log, up to the largest `Last-Event-ID` a header can carry,
    /// has nothing to catch up on: it once overflowed `lastId + 1` and stopped the server.
    @Test func anIdPastTheLogHasNoBacklog() async throws {
        try await Self.withEvents { store, events in
            let empty = try await events.subscribe(after: UInt64.max)
            #expect(empty.backlog.isEmpty && !empty.tooFarBehind)
            try await Self.publish(store, 0..<3)
            try await events.poll()
            for id: UInt64 in [2, 3, 1 << 63, .max - 1, .max] {
                let resumed = try await events.subscribe(after: id)
                #expect(resumed.backlog.isEmpty && !resumed.tooFarBehind, "\(id)")
            }
            #expect(try await events.subscribe(after: 1).backlog.map(\.id) == [2])
        }
    }

    @Test func aClientThatDoesNotReadIsDisconnectedWithoutHoldingUpTheOthers() async throws {
        try await Self.withEvents { store, events in
            _ = try await events.subscribe(after: nil)
            let slow = try await events.subscribe(after: nil)
            let reader = try await events.subscribe(after: nil)
            let first = LiveEvents.bufferSize - 5
            try await Self.publish(store, 0..<first)
            try await events.poll()
            var iterator = reader.stream.makeAsyncIterator()
            var read = 0
            // The reader keeps up; the slow client never reads.
            while read < first, await iterator.next() != nil { read += 1 }
            try await Self.publish(store, first..<(first + 20))
            try await events.poll()
            while read < first + 20, await iterator.next() != nil { read += 1 }
            #expect(read == first + 20)
            // The slow client's stream was ended when its buffer filled: it holds what fit, then ends.
            var slowCount = 0
            for await _ in slow.stream { slowCount += 1 }
            #expect(slowCount == LiveEvents.bufferSize)
        }
    }
}
