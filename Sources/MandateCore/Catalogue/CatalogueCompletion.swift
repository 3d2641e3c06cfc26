/// How many databases the committee expects of each unit: by kind of unit, or of one unit (which
/// wins over its kind), and the day the catalogue is due complete (31 March 2026 by default: every
/// agency's data catalogued by the first quarter of 2026).
public struct CatalogueExpectations: Codable, Sendable, Hashable {
    public var deadline: CivilDate
    /// By `UnitKind` raw value ("province": 5).
    public var byKind: [String: Int]
    /// By unit code.
    public var byUnit: [String: Int]

    public init(deadline: CivilDate = Self.standardDeadline, byKind: [String: Int] = [:], byUnit: [String: Int] = [:]) {
        self.deadline = deadline
        self.byKind = byKind
        self.byUnit = byUnit
    }

    public static let standardDeadline = CivilDate(year: 2026, month: 3, day: 31)!
    /// More databases than any unit keeps: a count past it is a typing mistake.
    public static let maximumPerUnit = 10_000

    public func expected(unit: String, kind: UnitKind) -> Int {
        byUnit[unit] ?? byKind[kind.rawValue] ?? 0
    }

    /// The expectations, or every problem with them by field in both languages.
    public func checked() throws(ValidationFailure) -> CatalogueExpectations {
        var problems = FieldProblems()
        for (kind, count) in byKind.sorted(by: { $0.key < $1.key }) {
            if UnitKind(rawValue: kind) == nil {
                problems.fail(
                    "byKind.\(kind)", "not a kind of unit (committee, ministry, province, commune, partner)",
                    "không phải loại đơn vị (committee, ministry, province, commune, partner)")
            }
            if !(0...Self.maximumPerUnit).contains(count) {
                problems.fail("byKind.\(kind)", "from 0 to \(Self.maximumPerUnit)", "từ 0 đến \(Self.maximumPerUnit)")
            }
        }
        for (unit, count) in byUnit.sorted(by: { $0.key < $1.key }) where !(0...Self.maximumPerUnit).contains(count) {
            problems.fail("byUnit.\(unit)", "from 0 to \(Self.maximumPerUnit)", "từ 0 đến \(Self.maximumPerUnit)")
        }
        try problems.check()
        return self
    }
}

/// A unit's catalogue against what is expected of it, or a subtree's summed unit by unit:
/// declared (approved) databases, complete ones (approved and sufficient), those complete and
/// first approved by the deadline, and those living. A unit's complete databases count up to
/// what is expected of it, so that one unit's extra databases never make up for another's
/// missing ones.
public struct CatalogueCompletion: Codable, Sendable, Hashable {
    public var expected = 0
    public var declared = 0
    public var complete = 0
    /// Complete, counted up to what each unit is expected to declare.
    public var completeCounted = 0
    /// Complete and first approved on or before the deadline, counted up to what is expected.
    public var byDeadline = 0
    public var living = 0

    public init() {}

    /// What one database brings to its owner's count.
    public struct Database: Sendable, Hashable {
        public var sufficient: Bool
        public var living: Bool
        public var firstApproved: CivilDate

        public init(sufficient: Bool, living: Bool, firstApproved: CivilDate) {
            self.sufficient = sufficient
            self.living = living
            self.firstApproved = firstApproved
        }
    }

    /// One unit's: `databases` are its approved ones, as of `asOf` (those first approved after it
    /// are left out).
    public static func of(
        _ databases: [Database], expected: Int, deadline: CivilDate, asOf: CivilDate
    ) -> CatalogueCompletion {
        let kept = databases.filter { $0.firstApproved <= asOf }
        var completion = CatalogueCompletion()
        completion.expected = expected
        completion.declared = kept.count
        completion.complete = kept.filter(\.sufficient).count
        completion.completeCounted = min(completion.complete, expected)
        completion.byDeadline = min(kept.filter { $0.sufficient && $0.firstApproved <= deadline }.count, expected)
        completion.living = kept.filter(\.living).count
        return completion
    }

    /// The sum of two units' (or subtrees').
    public static func + (lhs: CatalogueCompletion, rhs: CatalogueCompletion) -> CatalogueCompletion {
        var sum = CatalogueCompletion()
        sum.expected = lhs.expected + rhs.expected
        sum.declared = lhs.declared + rhs.declared
        sum.complete = lhs.complete + rhs.complete
        sum.completeCounted = lhs.completeCounted + rhs.completeCounted
        sum.byDeadline = lhs.byDeadline + rhs.byDeadline
        sum.living = lhs.living + rhs.living
        return sum
    }

    /// The share of expected databases that are complete, 0–100; nil when none is expected.
    public var completionRate: Double? {
        expected > 0 ? Double(completeCounted) / Double(expected) * 100 : nil
    }

    /// The share of expected databases complete by the deadline, 0–100.
    public var deadlineRate: Double? {
        expected > 0 ? Double(byDeadline) / Double(expected) * 100 : nil
    }

    /// The share of declared databases that are living, 0–100; nil when none is declared.
    public var livingRate: Double? {
        declared > 0 ? Double(living) / Double(declared) * 100 : nil
    }
}

extension CatalogueCompletion {
    /// Each unit's subtree: its own completion summed with that of every unit below it.
    /// `parents` gives each unit's parent (nil at the root); a unit missing from `own` brings
    /// nothing but still passes on what is below it.
    public static func rolledUp(
        _ own: [String: CatalogueCompletion], parents: [String: String?]
    ) -> [String:
        CatalogueCompletion]
    {
        var subtree = own
        for (unit, completion) in own {
            var seen: Set<String> = [unit]
            var next = parents[unit] ?? nil
            while let parent = next, seen.insert(parent).inserted {
                subtree[parent] = (subtree[parent] ?? CatalogueCompletion()) + completion
                next = parents[parent] ?? nil
            }
        }
        return subtree
    }
}
