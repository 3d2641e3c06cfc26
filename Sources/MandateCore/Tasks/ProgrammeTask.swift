/// Where a task came from: assigned by the committee, or proposed by a unit itself.
public enum TaskOrigin: String, Codable, Sendable, CaseIterable {
    case assigned
    /// Proposed by its lead unit; it becomes a task to deliver once the committee adopts it.
    case proposed
}

/// A task of a programme: who must deliver what by when.
///
/// Its status is never stored: `TaskStatus.of` derives it from the facts (reports, decisions,
/// deadline, clock).
public struct ProgrammeTask: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    public var description: String
    /// The product the task must deliver.
    public var deliverable: String
    public var programme: String
    public var orientation: Int?
    public var leadUnit: String
    public var coordinatingUnits: [String]
    public var start: CivilDate
    /// The deadline as first set; extensions never change it.
    public var deadline: CivilDate
    public var origin: TaskOrigin
    /// When the committee adopted a proposed task (nil while it waits, and for assigned tasks).
    public var adoptedAt: String?
    /// When the lead unit's head signed a proposal off, making it public (nil while it waits, and
    /// for assigned tasks, which the committee publishes as it assigns them): `SignOff`.
    public var signedOffAt: String?
    public var cancelledAt: String?
    public var cancelReason: String?
    /// Demonstration content, not a published fact.
    public var illustrative: Bool
    public var createdAt: String

    public init(
        code: String, title: String, description: String, deliverable: String, programme: String,
        orientation: Int?, leadUnit: String, coordinatingUnits: [String], start: CivilDate, deadline: CivilDate,
        origin: TaskOrigin, adoptedAt: String? = nil, signedOffAt: String? = nil, cancelledAt: String? = nil,
        cancelReason: String? = nil, illustrative: Bool, createdAt: String
    ) {
        self.code = code
        self.title = title
        self.description = description
        self.deliverable = deliverable
        self.programme = programme
        self.orientation = orientation
        self.leadUnit = leadUnit
        self.coordinatingUnits = coordinatingUnits
        self.start = start
        self.deadline = deadline
        self.origin = origin
        self.adoptedAt = adoptedAt
        self.signedOffAt = signedOffAt
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
        self.illustrative = illustrative
        self.createdAt = createdAt
    }

    /// A proposal the committee has not adopted yet: not a task to deliver.
    public var isPendingProposal: Bool { origin == .proposed && adoptedAt == nil && cancelledAt == nil }

    /// Whether the task is public: assigned, or a proposal its unit head signed off (`SignOff`).
    public var isSignedOff: Bool { origin == .assigned || signedOffAt != nil }

    /// The units that report on the task: the lead unit, then the coordinating ones.
    public var reportingUnits: [String] { [leadUnit] + coordinatingUnits }
}

/// The fields of a new task, as a client sends them.
public struct TaskDraft: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    public var description: String?
    public var deliverable: String
    public var programme: String
    public var orientation: Int?
    public var leadUnit: String
    public var coordinatingUnits: [String]?
    public var start: String
    public var deadline: String
    public var illustrative: Bool?

    public init(
        code: String, title: String, description: String? = nil, deliverable: String, programme: String,
        orientation: Int? = nil, leadUnit: String, coordinatingUnits: [String]? = nil, start: String,
        deadline: String, illustrative: Bool? = nil
    ) {
        self.code = code
        self.title = title
        self.description = description
        self.deliverable = deliverable
        self.programme = programme
        self.orientation = orientation
        self.leadUnit = leadUnit
        self.coordinatingUnits = coordinatingUnits
        self.start = start
        self.deadline = deadline
        self.illustrative = illustrative
    }

    /// The task this draft makes, or every problem with it (field and reason).
    ///
    /// - Parameters:
    ///   - isKnownUnit: whether an active unit has the code.
    ///   - orientations: each programme's orientation numbers.
    public func task(
        origin: TaskOrigin, at now: String, isKnownUnit: (String) -> Bool, orientations: [String: Set<Int>]
    ) throws(ValidationFailure) -> ProgrammeTask {
        var errors: [RowError] = []
        func fail(_ field: String, _ reason: String) {
            errors.append(RowError(line: nil, column: field, reason: reason))
        }
        let code = code.trimmingWhitespace()
        if !TaskCode.isValid(code) {
            fail("code", "a task code has 1 to 40 letters, digits, '.', '-' or '_'")
        }
        let title = HumanText.cleaned(title)
        if title.isEmpty || title.count > 500 { fail("title", "a title has 1 to 500 characters") }
        let deliverable = HumanText.cleaned(deliverable, multiline: true)
        if deliverable.isEmpty || deliverable.count > 1000 {
            fail("deliverable", "the deliverable is required (up to 1,000 characters)")
        }
        let description = HumanText.cleaned(description ?? "", multiline: true)
        if description.count > 10_000 { fail("description", "a description has at most 10,000 characters") }
        if let numbers = orientations[programme] {
            if let orientation, !numbers.contains(orientation) {
                fail("orientation", "programme \(programme) has no orientation \(orientation)")
            }
        } else {
            fail("programme", "no programme has code \"\(programme)\"")
        }
        if !isKnownUnit(leadUnit) { fail("leadUnit", "unknown unit \"\(leadUnit)\"") }
        var coordinating: [String] = []
        for unit in coordinatingUnits ?? [] {
            if !isKnownUnit(unit) {
                fail("coordinatingUnits", "unknown unit \"\(unit)\"")
            } else if unit == leadUnit {
                fail("coordinatingUnits", "the lead unit \(unit) cannot also coordinate")
            } else if !coordinating.contains(unit) {
                coordinating.append(unit)
            }
        }
        let startDay = CivilDate(iso: start)
        let deadlineDay = CivilDate(iso: deadline)
        if startDay == nil || start.count != 10 { fail("start", "expected a date YYYY-MM-DD, got \"\(start)\"") }
        if deadlineDay == nil || deadline.count != 10 {
            fail("deadline", "expected a date YYYY-MM-DD, got \"\(deadline)\"")
        }
        if let startDay, let deadlineDay, deadlineDay < startDay {
            fail("deadline", "the deadline \(deadlineDay) is before the start \(startDay)")
        }
        guard errors.isEmpty, let startDay, let deadlineDay else { throw ValidationFailure(errors) }
        return ProgrammeTask(
            code: code, title: title, description: description, deliverable: deliverable, programme: programme,
            orientation: orientation, leadUnit: leadUnit, coordinatingUnits: coordinating, start: startDay,
            deadline: deadlineDay, origin: origin, illustrative: illustrative ?? false, createdAt: now)
    }
}

/// Task codes: short, URL-safe.
public enum TaskCode {
    public static func isValid(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 40
            && code.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "." || $0 == "-" || $0 == "_"
            }
    }
}
