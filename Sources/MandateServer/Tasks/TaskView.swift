import MandateCore

/// A task as the API shows it: with its derived status and deadlines.
struct TaskView: Codable, Sendable {
    var code: String
    var title: String
    var titleEn: String?
    var description: String
    var deliverable: String
    var programme: String
    var orientation: Int?
    var leadUnit: String
    var coordinatingUnits: [String]
    var start: CivilDate
    var deadline: CivilDate
    var priority: TaskPriority
    var technologies: [String]
    var indicators: [String]
    var effectiveDeadline: CivilDate
    var workingDeadline: CivilDate
    var origin: TaskOrigin
    var adoptedAt: String?
    /// When its lead unit's head signed a proposal off (nil while it waits, and for assigned tasks).
    var signedOffAt: String?
    var cancelledAt: String?
    var cancelReason: String?
    var status: TaskStatus
    var percent: Int?
    var daysLate: Int?
    var illustrative: Bool

    init(_ record: TaskRecord, today: CivilDate) {
        let task = record.task
        code = task.code
        title = task.title
        titleEn = task.titleEn
        description = task.description
        deliverable = task.deliverable
        programme = task.programme
        orientation = task.orientation
        leadUnit = task.leadUnit
        coordinatingUnits = task.coordinatingUnits
        start = task.start
        deadline = task.deadline
        priority = task.priority
        technologies = task.technologies
        indicators = task.indicators
        effectiveDeadline = record.progress.effectiveDeadline
        workingDeadline = record.progress.workingDeadline
        origin = task.origin
        adoptedAt = task.adoptedAt
        signedOffAt = task.signedOffAt
        cancelledAt = task.cancelledAt
        cancelReason = task.cancelReason
        status = record.status(today: today)
        percent = record.progress.percent
        let late = record.progress.daysLate(today: today)
        daysLate = (status == .overdue || status == .acceptedLate) && late > 0 ? late : nil
        illustrative = task.illustrative
    }
}

/// A recommendation as the API shows it: without who raised or answered it.
struct RecommendationView: Codable, Sendable {
    var id: String
    var fromUnit: String
    var toUnit: String
    var title: String
    var body: String
    var due: CivilDate
    var raisedAt: String
    /// When the raising unit's head signed it off (nil while it waits: then only the raising unit
    /// and those above it see it).
    var signedOffAt: String?
    var answer: String?
    var answeredAt: String?
    var ageDays: Int
    var overdue: Bool
    var illustrative: Bool

    init(_ recommendation: Recommendation, today: CivilDate) {
        id = recommendation.id
        fromUnit = recommendation.fromUnit
        toUnit = recommendation.toUnit
        title = recommendation.title
        body = recommendation.body
        due = recommendation.due
        raisedAt = recommendation.raisedAt
        signedOffAt = recommendation.signedOffAt
        answer = recommendation.answer
        answeredAt = recommendation.answeredAt
        ageDays = recommendation.age(today: today)
        overdue = recommendation.isOverdue(today: today)
        illustrative = recommendation.illustrative
    }
}
