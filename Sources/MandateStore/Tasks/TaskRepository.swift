import Foundation
import MandateCore

/// Filters for listing tasks.
public struct TaskQuery: Sendable, Hashable {
    public var programme: String?
    public var orientation: Int?
    /// Tasks this unit leads or coordinates.
    public var unit: String?
    /// Derived on `today`.
    public var status: TaskStatus?
    /// Words matched against code, title and deliverable, ignoring case and diacritics.
    public var search: String?
    /// The units whose proposals awaiting sign-off are listed too, besides every public task:
    /// those whose internal data the reader may read (`SignOff.unsignedShown`).
    public var unsignedUnits: Set<String>
    public var today: CivilDate
    public var limit: Int
    public var offset: Int

    public init(
        programme: String? = nil, orientation: Int? = nil, unit: String? = nil, status: TaskStatus? = nil,
        search: String? = nil, unsignedUnits: Set<String> = [], today: CivilDate, limit: Int = 100, offset: Int = 0
    ) {
        self.programme = programme
        self.orientation = orientation
        self.unit = unit
        self.status = status
        self.search = search
        self.unsignedUnits = unsignedUnits
        self.today = today
        self.limit = limit
        self.offset = offset
    }
}

/// Who acts, and when.
/// What a programme's page summarises: its public tasks by orientation (nil: none), and the
/// codes of the indicators they move.
public struct ProgrammeOutline: Sendable, Hashable {
    public var tasks: [Int?: Int]
    public var indicators: [String]
}

public struct Actor: Sendable, Hashable {
    public var userId: String?
    public var at: String

    public init(userId: String?, at: String) {
        self.userId = userId
        self.at = at
    }
}

/// Programmes, tasks, reports, extensions and recommendations.
///
/// Every write runs in one transaction that also records the step in the task's history and
/// recomputes the task's `TaskProgress`; a write refused for the state of its subject throws
/// `StateConflict`, one about a missing subject `RecordNotFound`, and changes nothing.
public protocol TaskRepository: Sendable {
    func save(_ programme: Programme) async throws
    func programmes() async throws -> [Programme]
    func programme(_ code: String) async throws -> Programme?
    /// A programme's public tasks by orientation, and the indicators they move.
    func outline(of programme: String) async throws -> ProgrammeOutline
    /// The orientation numbers a programme's tasks name.
    func usedOrientations(of programme: String) async throws -> Set<Int>

    /// Creates an assigned task, or a proposal when `task.origin` is `.proposed`.
    func create(_ task: ProgrammeTask, by actor: Actor) async throws -> TaskRecord
    /// The lead unit head's sign-off of a proposal: from then on it is public (`SignOff`).
    func signOff(_ code: String, by actor: Actor) async throws -> TaskRecord
    func adopt(_ code: String, by actor: Actor) async throws -> TaskRecord
    func cancel(_ code: String, reason: String, by actor: Actor) async throws -> TaskRecord
    func get(_ code: String) async throws -> TaskRecord?
    func list(_ query: TaskQuery) async throws -> Page<TaskRecord>

    func reports(of task: String) async throws -> [TaskReport]
    func report(_ id: String) async throws -> TaskReport?
    /// Records a draft report; the input is checked against the task first.
    func recordProgress(
        _ input: ProgressInput, on task: String, by actor: Actor, illustrative: Bool
    ) async throws
        -> TaskReport
    /// Attaches a file to a draft report (its content is stored once per SHA-256).
    func attach(
        _ content: Data, name: String, contentType: String, to report: String, by actor: Actor
    )
        async throws -> TaskReport
    func file(_ sha256: String) async throws -> (file: EvidenceFile, content: Data)?
    /// Changes a draft report's percent, narrative and links, checked as a new report's are.
    func editReport(
        _ id: String, percent: Int, narrative: String, links: [String], by actor: Actor
    ) async throws
        -> TaskReport
    /// Takes back a draft report with its files; the task's history keeps that it was withdrawn.
    func withdrawReport(_ id: String, by actor: Actor) async throws
    func submit(_ report: String, by actor: Actor) async throws -> TaskReport
    /// Accepts or returns a submitted report. An accepted report enters the transparency log.
    func decide(_ report: String, accept: Bool, comment: String?, by actor: Actor) async throws -> TaskReport

    func extensions(of task: String) async throws -> [DeadlineExtension]
    func extensionRequest(_ id: String) async throws -> DeadlineExtension?
    func requestExtension(_ input: ExtensionInput, on task: String, by actor: Actor) async throws -> DeadlineExtension
    func decideExtension(
        _ id: String, grant: Bool, comment: String?, by actor: Actor
    ) async throws
        -> DeadlineExtension
    func history(of task: String) async throws -> [TaskEvent]

    /// Raises a recommendation, signed off at once when `signedOff` (`SignOff.isImmediate`).
    func raise(
        _ input: RecommendationInput, by actor: Actor, signedOff: Bool, illustrative: Bool
    ) async throws -> Recommendation
    /// The raising unit head's sign-off: from then on it is public and may be answered.
    func signOff(recommendation id: String, by actor: Actor) async throws -> Recommendation
    func answer(_ id: String, text: String, by actor: Actor) async throws -> Recommendation
    func recommendation(_ id: String) async throws -> Recommendation?
    /// Recommendations from or to `unit` (all when nil), the public ones and those awaiting
    /// sign-off from `unsignedUnits`: unanswered first, oldest first.
    func recommendations(
        unit: String?, unansweredOnly: Bool, unsignedUnits: Set<String>, limit: Int, offset: Int
    ) async throws -> Page<Recommendation>
    /// The units with a proposal or a recommendation awaiting their head's sign-off.
    func unitsAwaitingSignOff() async throws -> Set<String>
    /// What waits in the workflow (at most `limit` of each kind, oldest first), with the draft
    /// reports of `unit` when one is named.
    func waiting(draftReportsOf unit: String?, limit: Int) async throws -> WaitingWork
    /// What waits for `unit` outside the report workflow (at most `limit` of each kind):
    /// recommendations to answer, and what waits for its head's sign-off.
    func waiting(on unit: String, limit: Int) async throws -> UnitWaiting

    /// How many reports have been accepted: each is a published fact.
    func acceptedReportCount() async throws -> Int
    /// The published facts of accepted reports, in acceptance order.
    func acceptedReportFacts(limit: Int, offset: Int) async throws -> [PublishedFact]

    /// A number that changes with every write to tasks, reports, extensions or recommendations,
    /// in the writing transaction; read from the database, so every instance sees the same one.
    func dataVersion() async throws -> Int64

    func escalation(today: CivilDate, limit: Int) async throws -> EscalationBoard
    /// What the delivery measures of every unit are computed from: the tasks not cancelled, by code.
    func deliveryFacts() async throws -> [DeliveryFacts]
    /// Every unit's delivery measures as of `day` (`DeliveryMeasures.compute` of every task's
    /// facts), by unit code; kept until the facts change.
    func deliveryMeasures(asOf day: CivilDate) async throws -> [String: DeliveryMeasures]
}
