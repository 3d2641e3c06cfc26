import Foundation
import Hummingbird
import MandateCore
import MandateStore
import Synchronization

/// The escalation board and every unit's delivery measures, kept per day and task data version.
///
/// At national scale (50,000 tasks, 500,000 reports) each takes hundreds of milliseconds to read
/// and compute, yet depends only on the task data and the day. The data version is read from the
/// database on every request, and every task write bumps it in its own transaction, so with
/// several instances on one PostgreSQL none serves a view older than a write any of them has
/// committed. When a view is missing, one request computes it while the others wait for it,
/// rather than all computing it at once.
final class TaskViewCache: Sendable {
    struct Key: Hashable, Sendable {
        var today: CivilDate
        var version: Int64

        /// Whether a view made for `self` may answer for `other`: the same day, data at least as new.
        func answers(_ other: Key) -> Bool {
            today == other.today && version >= other.version
        }
    }

    struct Board: Sendable {
        let key: Key
        /// Every line, not limited: see `EscalationBoard.limited(to:)`.
        let board: EscalationBoard
        /// JSON bodies by limit, filled as limits are asked for (a few at most).
        var json: [Int: ByteBuffer] = [:]
    }

    struct Measures: Sendable {
        let key: Key
        /// Every unit's measures, by unit code.
        let measures: [DeliveryMeasures]
        /// The JSON body of the whole list.
        let json: ByteBuffer
    }

    let tasks: any TaskRepository
    private let board = Mutex<Board?>(nil)
    private let measures = Mutex<Measures?>(nil)
    private let computingBoard = AsyncLock()
    private let computingMeasures = AsyncLock()
    /// Pages as anonymous readers see them, by address, for the day and data version they show.
    private let pages = Mutex<[String: (key: Key, value: String)]>([:])
    static let keptPages = 32
    /// Pages of tasks (a profile's first ten, the overview's count), by query.
    private let lists = Mutex<[TaskQuery: (key: Key, value: Page<TaskRecord>)]>([:])
    static let keptLists = 256
    /// Programme outlines, by programme code.
    private let outlines = Mutex<[String: (key: Key, value: ProgrammeOutline)]>([:])
    static let keptOutlines = 32
    /// Distinct limits whose JSON is kept at once.
    static let jsonLimits = 8

    init(tasks: any TaskRepository) {
        self.tasks = tasks
    }

    /// The whole board on `today`.
    func escalation(today: CivilDate) async throws -> EscalationBoard {
        try await currentBoard(today: today).board
    }

    /// The board's JSON body with at most `limit` lines per list.
    func escalationJSON(today: CivilDate, limit: Int) async throws -> ByteBuffer {
        let current = try await currentBoard(today: today)
        if let json = current.json[limit] { return json }
        let json = ByteBuffer(bytes: try JSONEncoder.api.encode(current.board.limited(to: limit)))
        board.withLock { stored in
            guard var entry = stored, entry.key == current.key else { return }
            if entry.json.count >= Self.jsonLimits { entry.json.removeAll() }
            entry.json[limit] = json
            stored = entry
        }
        return json
    }

    private func currentBoard(today: CivilDate) async throws -> Board {
        let key = Key(today: today, version: try await tasks.dataVersion())
        if let hit = board.withLock({ $0.flatMap { $0.key.answers(key) ? $0 : nil } }) { return hit }
        return try await computingBoard.withLock {
            if let hit = self.board.withLock({ $0.flatMap { $0.key.answers(key) ? $0 : nil } }) { return hit }
            let fresh = Board(key: key, board: try await self.tasks.escalation(today: today, limit: .max))
            self.board.withLock { stored in
                if stored.map({ fresh.key.answers($0.key) || $0.key.today != today }) ?? true { stored = fresh }
            }
            return fresh
        }
    }

    /// Every unit's delivery measures on `today`, by unit code, and their JSON body.
    func deliveryMeasures(today: CivilDate) async throws -> Measures {
        let key = Key(today: today, version: try await tasks.dataVersion())
        if let hit = measures.withLock({ $0.flatMap { $0.key.answers(key) ? $0 : nil } }) { return hit }
        return try await computingMeasures.withLock {
            if let hit = self.measures.withLock({ $0.flatMap { $0.key.answers(key) ? $0 : nil } }) { return hit }
            let list = try await self.tasks.deliveryMeasures(asOf: today).values.sorted { $0.unit < $1.unit }
            let body = DeliveryMeasuresBody(today: today, measures: list, names: DeliveryMeasures.names)
            let fresh = Measures(key: key, measures: list, json: ByteBuffer(bytes: try JSONEncoder.api.encode(body)))
            self.measures.withLock { stored in
                if stored.map({ fresh.key.answers($0.key) || $0.key.today != today }) ?? true { stored = fresh }
            }
            return fresh
        }
    }
}

extension TaskViewCache {
    /// The page (or the part of a page) at `address` as an anonymous reader sees it on `today`: kept until
    /// the task data change or the day does, so that a busy public page is rendered once per change.
    func page(_ address: String, today: CivilDate, render: () async throws -> String) async throws -> String {
        try await kept(address, in: pages, capacity: Self.keptPages, today: today, make: render)
    }

    /// What `table` keeps for `name`, if it was made for today and data at least as new as now;
    /// otherwise made again and kept (the table emptied when it holds `capacity`).
    private func kept<Name: Hashable & Sendable, Value: Sendable>(
        _ name: Name, in table: borrowing Mutex<[Name: (key: Key, value: Value)]>, capacity: Int, today: CivilDate,
        make: () async throws -> Value
    ) async throws -> Value {
        let key = Key(today: today, version: try await tasks.dataVersion())
        if let hit = table.withLock({ $0[name].flatMap { $0.key.answers(key) ? $0.value : nil } }) { return hit }
        let value = try await make()
        table.withLock { kept in
            if kept.count >= capacity { kept.removeAll() }
            kept[name] = (key, value)
        }
        return value
    }

    /// A page of tasks as `TaskRepository.list` gives it, kept until the task data change or the
    /// day does: every profile lists its unit's first tasks and the overview counts them all, and
    /// at national scale a province leads or coordinates 1,500 of 50,000, read and sorted each time.
    func list(_ query: TaskQuery) async throws -> Page<TaskRecord> {
        try await kept(query, in: lists, capacity: Self.keptLists, today: query.today) { try await tasks.list(query) }
    }

    /// A programme's outline (`TaskRepository.outline`), kept until the task data change: it
    /// reads every task of the programme (50,000 at national scale).
    func outline(of programme: String, today: CivilDate) async throws -> ProgrammeOutline {
        try await kept(programme, in: outlines, capacity: Self.keptOutlines, today: today) {
            try await tasks.outline(of: programme)
        }
    }
}

/// The body of `GET /api/v1/deliveryMeasures`.
struct DeliveryMeasuresBody: Encodable {
    let today: CivilDate
    let measures: [DeliveryMeasures]
    let names: [String]
}
