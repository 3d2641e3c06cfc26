/// Where a task came from: assigned by the committee, or proposed by a unit itself.
public enum TaskOrigin: String, Codable, Sendable, CaseIterable {
    case assigned
    /// Proposed by its lead unit; it becomes a task to deliver once the committee adopts it.
    case proposed
}

/// How much a task weighs in its work plan: a key task (`high`) is watched first.
public enum TaskPriority: String, Codable, Sendable, CaseIterable, Comparable {
    case high, normal, low

    public static func < (a: TaskPriority, b: TaskPriority) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A task of a programme: who must deliver what by when.
///
/// Its status is never stored: `TaskStatus.of` derives it from the facts (reports, decisions,
/// deadline, clock).
public struct ProgrammeTask: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    /// The title in English, where the work plan gives one (English pages show it).
    public var titleEn: String?
    public var description: String
    /// The product the task must deliver.
    public var deliverable: String
    public var programme: String
    public var orientation: Int?
    public var leadUnit: String
    public var coordinatingUnits: [String]
    public var start: CivilDate
    /// The deadline the committee set (a work plan imported again may move it); extensions never
    /// change it.
    public var deadline: CivilDate
    public var priority: TaskPriority
    /// Strategic-technology tags (`TaskTag`), as the committee names them.
    public var technologies: [String]
    /// The codes of the indicators the task moves.
    public var indicators: [String]
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
        titleEn: String? = nil, priority: TaskPriority = .normal, technologies: [String] = [],
        indicators: [String] = [],
        origin: TaskOrigin, adoptedAt: String? = nil, signedOffAt: String? = nil, cancelledAt: String? = nil,
        cancelReason: String? = nil, illustrative: Bool, createdAt: String
    ) {
        self.code = code
        self.title = title
        self.titleEn = titleEn
        self.priority = priority
        self.technologies = technologies
        self.indicators = indicators
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

    /// The title in `language`: the English one on English pages where there is one.
    public func title(in language: Language) -> String {
        language == .en ? titleEn ?? title : title
    }
}

/// The fields of a new task, as a client sends them.
public struct TaskDraft: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    public var titleEn: String?
    public var description: String?
    public var deliverable: String
    public var programme: String
    public var orientation: Int?
    public var leadUnit: String
    public var coordinatingUnits: [String]?
    public var start: String
    public var deadline: String
    public var priority: TaskPriority?
    public var technologies: [String]?
    public var indicators: [String]?
    public var illustrative: Bool?

    public init(
        code: String, title: String, titleEn: String? = nil, description: String? = nil, deliverable: String,
        programme: String, orientation: Int? = nil, leadUnit: String, coordinatingUnits: [String]? = nil,
        start: String, deadline: String, priority: TaskPriority? = nil, technologies: [String]? = nil,
        indicators: [String]? = nil, illustrative: Bool? = nil
    ) {
        self.code = code
        self.title = title
        self.titleEn = titleEn
        self.priority = priority
        self.technologies = technologies
        self.indicators = indicators
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

    /// The task this draft makes, or every problem with it (field and reason, in both languages).
    ///
    /// - Parameters:
    ///   - isKnownUnit: whether an active unit has the code.
    ///   - orientations: each programme's orientation numbers.
    ///   - isKnownIndicator: whether an indicator has the code.
    public func task(
        origin: TaskOrigin, at now: String, isKnownUnit: (String) -> Bool, orientations: [String: Set<Int>],
        isKnownIndicator: (String) -> Bool
    ) throws(ValidationFailure) -> ProgrammeTask {
        var problems = FieldProblems()
        let code = code.trimmingWhitespace()
        if !TaskCode.isValid(code) {
            problems.fail(
                "code", "a task code has 1 to 40 letters, digits, '.', '-' or '_'",
                "mã nhiệm vụ có 1 đến 40 chữ cái, chữ số, '.', '-' hoặc '_'")
        }
        let title = HumanText.cleaned(title)
        if title.isEmpty || title.count > 500 {
            problems.fail("title", "a title has 1 to 500 characters", "tên có 1 đến 500 ký tự")
        }
        let titleEn = HumanText.cleaned(titleEn ?? "")
        if titleEn.count > 500 {
            problems.fail("titleEn", "a title has at most 500 characters", "tên có tối đa 500 ký tự")
        }
        let deliverable = HumanText.cleaned(deliverable, multiline: true)
        if deliverable.isEmpty || deliverable.count > 1000 {
            problems.fail(
                "deliverable", "the deliverable is required (up to 1,000 characters)",
                "cần ghi sản phẩm (tối đa 1.000 ký tự)")
        }
        let description = HumanText.cleaned(description ?? "", multiline: true)
        if description.count > 10_000 {
            problems.fail("description", "a description has at most 10,000 characters", "mô tả có tối đa 10.000 ký tự")
        }
        if let numbers = orientations[programme] {
            if let orientation, !numbers.contains(orientation) {
                problems.fail(
                    "orientation", "programme \(programme) has no orientation \(orientation)",
                    "chương trình \(programme) không có định hướng \(orientation)")
            }
        } else if programme.isEmpty {
            problems.fail("programme", "the programme is required", "cần ghi chương trình")
        } else {
            problems.fail(
                "programme", "no open programme has code \"\(programme)\"",
                "không có chương trình đang thực hiện mã \"\(programme)\"")
        }
        if !isKnownUnit(leadUnit) {
            problems.fail("leadUnit", "unknown unit \"\(leadUnit)\"", "không có đơn vị \"\(leadUnit)\"")
        }
        var coordinating: [String] = []
        for unit in coordinatingUnits ?? [] {
            if !isKnownUnit(unit) {
                problems.fail("coordinatingUnits", "unknown unit \"\(unit)\"", "không có đơn vị \"\(unit)\"")
            } else if unit == leadUnit {
                problems.fail(
                    "coordinatingUnits", "the lead unit \(unit) cannot also coordinate",
                    "đơn vị chủ trì \(unit) không thể đồng thời phối hợp")
            } else if !coordinating.contains(unit) {
                coordinating.append(unit)
            }
        }
        let startDay = problems.day("start", start)
        let deadlineDay = problems.day("deadline", deadline)
        if let startDay, let deadlineDay, deadlineDay < startDay {
            problems.fail(
                "deadline", "the deadline \(deadlineDay) is before the start \(startDay)",
                "hạn \(deadlineDay) trước ngày bắt đầu \(startDay)")
        }
        var technologies: [String] = []
        for tag in self.technologies ?? [] where !technologies.contains(tag) {
            if TaskTag.isValid(tag) {
                technologies.append(tag)
            } else {
                problems.fail(
                    "technologies", "\"\(tag)\" is not a tag: 1 to 40 lower-case letters, digits or '-'",
                    "\"\(tag)\" không phải nhãn: 1 đến 40 chữ thường không dấu, chữ số hoặc '-'")
            }
        }
        if technologies.count > TaskTag.limit {
            problems.fail("technologies", "at most \(TaskTag.limit) tags", "tối đa \(TaskTag.limit) nhãn")
        }
        var indicators: [String] = []
        for indicator in self.indicators ?? [] where !indicators.contains(indicator) {
            if isKnownIndicator(indicator) {
                indicators.append(indicator)
            } else {
                problems.fail(
                    "indicators", "no indicator has code \"\(indicator)\"", "không có chỉ tiêu mã \"\(indicator)\"")
            }
        }
        if indicators.count > TaskTag.limit {
            problems.fail("indicators", "at most \(TaskTag.limit) indicators", "tối đa \(TaskTag.limit) chỉ tiêu")
        }
        guard problems.isEmpty, let startDay, let deadlineDay else { throw ValidationFailure(problems.errors) }
        return ProgrammeTask(
            code: code, title: title, description: description, deliverable: deliverable, programme: programme,
            orientation: orientation, leadUnit: leadUnit, coordinatingUnits: coordinating, start: startDay,
            deadline: deadlineDay, titleEn: titleEn.isEmpty ? nil : titleEn, priority: priority ?? .normal,
            technologies: technologies, indicators: indicators, origin: origin, illustrative: illustrative ?? false,
            createdAt: now)
    }
}

/// Strategic-technology tags on tasks: short words the committee chooses ("ai", "ban-dan").
public enum TaskTag {
    /// The most tags, and the most linked indicators, a task has.
    public static let limit = 20

    public static func isValid(_ tag: String) -> Bool {
        !tag.isEmpty && tag.count <= 40
            && tag.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
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
