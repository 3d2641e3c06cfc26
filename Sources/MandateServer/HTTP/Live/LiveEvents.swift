import Foundation
import Logging
import MandateCore
import MandateStore
import ServiceLifecycle

/// One event of `/api/v1/events`: a fact as it was published, under its leaf index in the
/// transparency log, so that a client that reconnects resumes after the last id it saw; or a
/// notice of something that happened with time rather than through a write (a task became
/// overdue), which has no id and is not replayed.
struct LiveEvent: Sendable, Hashable {
    /// The leaf index; the SSE event id. Nil for a notice.
    let id: UInt64?
    /// `report-accepted`, `value-approved`, `ranking-published`, `answer-published` or
    /// `task-overdue`.
    let name: String
    /// The fact's canonical JSON, or the notice's JSON.
    let data: String
    /// Whether clients are sent it (`PublishedFact.Kind.isAnnounced`; a notice always is).
    let isAnnounced: Bool

    init(_ entry: LogEntry) {
        id = entry.index
        data = String(decoding: entry.data, as: UTF8.self)
        let fact = PublishedFact(canonicalBytes: entry.data)
        isAnnounced = fact?.kind.isAnnounced ?? true
        switch fact?.kind {
        case .acceptedReport: name = "report-accepted"
        case .approvedValue: name = "value-approved"
        case .publishedRanking: name = "ranking-published"
        case .publishedAnswer: name = "answer-published"
        case .acceptedRating: name = "rating-accepted"
        case nil: name = "fact"
        }
    }

    /// A task that turned overdue on `day` (`TaskStatus.turnsOverdue`), with the deadline that
    /// counts, which lapsed.
    init(overdue record: TaskRecord, day: CivilDate) {
        id = nil
        name = "task-overdue"
        isAnnounced = true
        var fields: [String: String] = [
            "task": record.task.code, "unit": record.task.leadUnit,
            "deadline": record.progress.effectiveDeadline.description,
            "day": day.description,
        ]
        if record.task.illustrative { fields["illustrative"] = "true" }
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)):\(Self.quoted($0.value))" }
        data = "{\"fields\":{\(body.joined(separator: ","))},\"kind\":\"task-overdue\"}"
    }

    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        CanonicalJSON.string(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The event in the `text/event-stream` format.
    var text: String {
        (id.map { "id: \($0)\n" } ?? "") + "event: \(name)\ndata: \(data)\n\n"
    }
}

/// Publishes every newly logged fact to the connected clients.
///
/// One poll of the log's size serves every client of this instance, and every instance reads the
/// same log, so events reach clients whichever instance published them. Each client has its own
/// bounded buffer: a client too slow to keep up is disconnected (and resumes from its last id when
/// it reconnects) instead of holding up the others.
actor LiveEvents: Service {
    let log: any TransparencyLogRepository
    let logger: Logger
    let interval: Duration
    /// The size of the log already published: the next event's id.
    private var published: UInt64?
    /// Each client's stream, and the first leaf index it is to be sent live (what came before
    /// reached it as its backlog, or happened before it connected).
    private var subscribers: [UInt64: (continuation: AsyncStream<LiveEvent>.Continuation, from: UInt64)] = [:]
    private var nextSubscriber: UInt64 = 0

    /// Events a client may be behind before it is disconnected.
    static let bufferSize = 1024
    /// The most missed events a reconnecting client is sent; further back, it reloads.
    static let maximumBacklog: UInt64 = 1000

    /// Signals of commits that appended to the log (this instance's, and on PostgreSQL every
    /// instance's): each wakes the poll at once.
    let wakeups: AsyncStream<Void>?
    /// The poll after a wakeup is due; set while a poll runs so that it runs again.
    private var woken = false
    /// The wait between polls under way, which a wakeup cuts short.
    private var sleeper: Task<Void, Never>?

    /// The tasks that turned overdue on a day (`TaskStatus.turnsOverdue`), and the day it is: when
    /// the day changes, each such task is announced.
    let overdueOn: (@Sendable (CivilDate) async throws -> [TaskRecord])?
    let today: @Sendable () -> CivilDate
    /// The day the last poll ran on.
    private var day: CivilDate?

    /// `interval` bounds how late an event is when no wakeup comes, e.g. for facts another
    /// process appended to the same SQLite file.
    init(
        log: any TransparencyLogRepository, logger: Logger, wakeups: AsyncStream<Void>? = nil,
        interval: Duration = .milliseconds(200),
        overdueOn: (@Sendable (CivilDate) async throws -> [TaskRecord])? = nil,
        today: @escaping @Sendable () -> CivilDate = { AppClock().today() }
    ) {
        self.log = log
        self.logger = logger
        self.wakeups = wakeups
        self.interval = interval
        self.overdueOn = overdueOn
        self.today = today
    }

    /// Announces the tasks that became overdue when the day changes (a server started during the
    /// day announces nothing for it: those tasks were overdue before it started).
    func checkDay() async throws {
        let now = today()
        guard let previous = day else {
            day = now
            return
        }
        guard now != previous, let overdueOn else { return }
        day = now
        let records = try await overdueOn(now)
        for record in records { broadcast(LiveEvent(overdue: record, day: now)) }
        if !records.isEmpty { logger.info("announced overdue tasks", metadata: ["tasks": "\(records.count)"]) }
    }

    /// The tasks that turn overdue on `day`: overdue since `day`, as `TaskStatus.of` says.
    static func tasksOverdue(since day: CivilDate, in tasks: any TaskRepository) async throws -> [TaskRecord] {
        try await tasks.list(TaskQuery(status: .overdue, today: day, limit: 1_000_000)).items
            .filter { TaskStatus.turnsOverdue($0.task, progress: $0.progress, on: day) }
    }

    /// Hands an event to every client that is to be sent it live.
    private func broadcast(_ event: LiveEvent) {
        for (id, subscriber) in subscribers where (event.id ?? .max) >= subscriber.from {
            switch subscriber.continuation.yield(event) {
            case .enqueued: break
            case .dropped:
                subscriber.continuation.finish()
                subscribers[id] = nil
                logger.info("disconnected a slow live-events client")
            case .terminated: subscribers[id] = nil
            @unknown default: break
            }
        }
    }

    func run() async throws {
        // A graceful shutdown cancels the polling, a read under way included (one waiting for an
        // unreachable database must not hold the shutdown up).
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let wakeups = self.wakeups {
                    group.addTask {
                        for await _ in wakeups { await self.wake() }
                    }
                }
                await self.pollUntilCancelled()
                group.cancelAll()
            }
        }
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
    }

    private func pollUntilCancelled() async {
        while !Task.isCancelled {
            woken = false
            do {
                try await poll()
                try await checkDay()
            } catch {
                if Task.isCancelled { break }
                logger.warning("live events could not read the log", metadata: ["error": "\(error)"])
            }
            if woken { continue }
            let sleeper = Task { [interval] in _ = try? await Task.sleep(for: interval) }
            self.sleeper = sleeper
            await withTaskCancellationHandler {
                await sleeper.value
            } onCancel: {
                sleeper.cancel()
            }
            self.sleeper = nil
        }
    }

    /// New leaves were committed: polls now rather than at the end of the wait.
    func wake() {
        woken = true
        sleeper?.cancel()
    }

    /// Reads the leaves logged since the last poll and hands them to every client. With no
    /// client, it reads nothing (a write then costs no read behind it): the next client starts
    /// from the log's size when it connects.
    func poll() async throws {
        guard !subscribers.isEmpty else {
            published = nil
            return
        }
        let size = try await log.size()
        guard let start = published else {
            published = size
            return
        }
        guard size > start else { return }
        var next = start
        while next < size {
            let entries = try await log.entries(in: next..<min(size, next + 500))
            guard let last = entries.last else { break }
            for event in entries.map(LiveEvent.init) where event.isAnnounced { broadcast(event) }
            next = last.index + 1
        }
        published = size
    }

    /// A new client.
    struct Subscription: Sendable {
        let id: UInt64
        /// The events it missed after the last id it saw.
        let backlog: [LiveEvent]
        /// It missed more than `maximumBacklog` events: it should reload the page.
        let tooFarBehind: Bool
        let stream: AsyncStream<LiveEvent>
        /// Ends the stream (and so the response), e.g. when the server shuts down.
        let end: AsyncStream<LiveEvent>.Continuation
    }

    /// Registers a client that saw events up to `lastId` (nil: none yet).
    ///
    /// The client is sent live the facts logged from the log's size as it connects; a poll already
    /// under way (the log may be growing fast, e.g. while demo data loads) sends it nothing older.
    func subscribe(after lastId: UInt64?) async throws -> Subscription {
        let upTo = try await log.size()
        if published == nil { published = upTo }
        let (stream, continuation) = AsyncStream<LiveEvent>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.bufferSize))
        let id = nextSubscriber
        nextSubscriber += 1
        // Registered before the backlog is read, so that nothing falls between the two.
        subscribers[id] = (continuation, upTo)
        var backlog: [LiveEvent] = []
        var tooFarBehind = false
        // An id past the log (another log's, or any number a client sends, up to UInt64.max) has
        // nothing to catch up on; below `upTo - 1`, `lastId + 1` cannot overflow.
        if let lastId, upTo > 0, lastId < upTo - 1 {
            if upTo - (lastId + 1) > Self.maximumBacklog {
                tooFarBehind = true
            } else {
                backlog = try await log.entries(in: (lastId + 1)..<upTo).map(LiveEvent.init).filter(\.isAnnounced)
            }
        }
        return Subscription(
            id: id, backlog: backlog, tooFarBehind: tooFarBehind, stream: stream, end: continuation)
    }

    /// Forgets a client whose connection ended.
    func unsubscribe(_ id: UInt64) {
        subscribers[id]?.continuation.finish()
        subscribers[id] = nil
    }
}

/// On PostgreSQL, relays the commits every instance announces on `mandate_log` to this instance:
/// what each changed to its commit observers (the edge and response caches drop what it changed),
/// and its log appends to its live events, so that a fact published through one instance reaches
/// the clients of all of them at once.
struct LogNotificationRelay: Service {
    let database: PostgresStoreDatabase
    let logger: Logger

    func run() async throws {
        // Ends at graceful shutdown: cancelling the task ends the LISTEN and releases its connection.
        await cancelWhenGracefulShutdown { await database.relayLogNotifications(logger: logger) }
    }
}
