import Testing

@testable import MandateCore

/// What a commit changed against what an answer was made from: the rule that drops kept copies.
@Suite struct ChangeTagsTests {
    /// Commits of every kind, by what their writes note.
    static let commits: [(name: String, tags: ChangeTags)] = [
        ("signing in", .nothingPublic),
        ("a draft of commune 00004", [.unit("00004")]),
        (
            "an approved value of commune 00004",
            [.unit("00004"), .unit("01"), .unit("BCD"), .indicator("X"), .values, .log]
        ),
        (
            "an approved value of commune 01273",
            [.unit("01273"), .unit("04"), .unit("BCD"), .indicator("Y"), .values, .log]
        ),
        ("a task led by 01", [.task("T-1"), .tasks, .unit("01")]),
        ("a published ranking", [.rankings, .log]),
        ("a checkpoint", [.checkpoint]),
        ("the unit tree", [.units]),
        ("the definitions", [.definitions]),
        ("an unannotated write", .everything),
    ]

    /// Answers, by what they declare.
    static let answers: [(name: String, reads: ChangeTags)] = [
        ("/units/01", [.unit("01"), .rankings]),
        ("/", [.unit("BCD"), .tasks, .log, .rankings]),
        ("/indicators/X", [.indicator("X")]),
        ("/tasks/T-2", [.task("T-2")]),
        ("/transparency", [.log, .checkpoint]),
        ("a tile", .nothingPublic),
        ("an undeclared page", .everything),
    ]

    /// The expectation, written out answer by answer: the commits (by name) that drop it.
    static let dropped: [String: Set<String>] = [
        "/units/01": [
            "an approved value of commune 00004", "a task led by 01", "a published ranking", "the unit tree",
            "the definitions", "an unannotated write",
        ],
        "/": [
            "an approved value of commune 00004", "an approved value of commune 01273", "a task led by 01",
            "a published ranking", "the unit tree", "the definitions", "an unannotated write",
        ],
        "/indicators/X": [
            "an approved value of commune 00004", "the unit tree", "the definitions", "an unannotated write",
        ],
        "/tasks/T-2": ["the unit tree", "the definitions", "an unannotated write"],
        "/transparency": [
            "an approved value of commune 00004", "an approved value of commune 01273", "a published ranking",
            "a checkpoint", "the unit tree", "the definitions", "an unannotated write",
        ],
        "a tile": ["the unit tree", "the definitions", "an unannotated write"],
        "an undeclared page": Set(commits.map(\.name)).subtracting(["signing in"]),
    ]

    @Test func everyCommitAgainstEveryAnswer() {
        for answer in Self.answers {
            for commit in Self.commits {
                let expected = Self.dropped[answer.name]?.contains(commit.name) ?? false
                #expect(commit.tags.affects(answer.reads) == expected, "\(commit.name) against \(answer.name)")
            }
        }
    }

    /// A unit's series of an indicator (with the units it took over) goes only with a commit that
    /// names one of those units and the indicator: not with a draft, a task, another indicator or
    /// another province's commune.
    @Test func aSeriesGoesWithACommitNamingItsUnitAndItsIndicator() {
        let series: [(name: String, units: [String], indicator: String, droppedBy: Set<String>)] = [
            (
                "01 X", ["01"], "X",
                ["an approved value of commune 00004", "the unit tree", "the definitions", "an unannotated write"]
            ),
            ("01 Y", ["01"], "Y", ["the unit tree", "the definitions", "an unannotated write"]),
            (
                "BCD Y", ["BCD"], "Y",
                ["an approved value of commune 01273", "the unit tree", "the definitions", "an unannotated write"]
            ),
            (
                "48, once 01, X", ["48", "01"], "X",
                ["an approved value of commune 00004", "the unit tree", "the definitions", "an unannotated write"]
            ),
        ]
        for one in series {
            for commit in Self.commits {
                let dropped = commit.tags.affectsFigures(units: one.units, indicators: [one.indicator])
                #expect(dropped == one.droppedBy.contains(commit.name), "\(commit.name) against \(one.name)")
            }
        }
    }

    @Test func aSetTooLargeToNameIsEverything() {
        let many = ChangeTags((0...ChangeTags.limit).map { ChangeTag.unit("\($0)") })
        #expect(many == .everything)
        var grown = ChangeTags((1..<ChangeTags.limit).map { ChangeTag.unit("\($0)") })
        #expect(grown.tags.count == ChangeTags.limit - 1)
        grown.formUnion([.log, .values])
        #expect(grown == .everything && grown.affects([.checkpoint]))
    }

    @Test func theTextFormRoundTripsAndRefusesWhatItDoesNotKnow() throws {
        let tags: ChangeTags = [
            .unit("01"), .indicator("HT_BANGRONG"), .task("NV 57/2026"), .task("Kết nối"), .values, .tasks, .rankings,
            .log, .checkpoint, .units, .definitions, .everything,
        ]
        let text = tags.description
        #expect(!text.contains("/") && !text.contains("ế") && text.contains("task:NV%2057%2F2026"))
        #expect(text.split(separator: " ").count == tags.tags.count)
        #expect(ChangeTags(parsing: text) == tags)
        #expect(ChangeTags(parsing: "unit:01 log") == [.unit("01"), .log])
        #expect(ChangeTags(parsing: "") == .nothingPublic)
        for bad in ["unit:", "unit", "region:01", "log feedback", "unit:0 1", "task:%2", "task:%zz"] {
            #expect(ChangeTags(parsing: bad) == nil, "\(bad)")
        }
        #expect(ChangeTags.everything.description == "everything")
    }

    @Test func aDraftChangesItsUnitsTimelinessOnlyAndAnApprovedValueItsRollUps() {
        let parents = ["00004": "01", "01": "BCD", "01273": "04", "04": "BCD"]
        func ancestors(_ unit: String) -> [String] {
            var result: [String] = []
            var current = parents[unit]
            while let next = current {
                result.append(next)
                current = parents[next]
            }
            return result
        }
        let weighted = ["POP": ["SHARE"]]
        func values(_ units: Set<String>, _ indicators: Set<String>, approved: Bool) -> ChangeTags {
            .storedValues(
                units: units, indicators: indicators, approved: approved, ancestors: ancestors,
                weighted: { weighted[$0] ?? [] })
        }
        #expect(values(["00004", "01273"], ["X"], approved: false) == [.unit("00004"), .unit("01273")])
        #expect(
            values(["00004"], ["X"], approved: true)
                == [.unit("00004"), .unit("01"), .unit("BCD"), .indicator("X"), .values])
        // A weight moves the weighted means it enters.
        #expect(
            values(["01273"], ["POP"], approved: true)
                == [.unit("01273"), .unit("04"), .unit("BCD"), .indicator("POP"), .indicator("SHARE"), .values])
        let all = Set((0..<ChangeTags.limit).map { "C\($0)" })
        #expect(values(all, ["X"], approved: true) == .everything)
        #expect(values(all.subtracting(["C0"]), [], approved: false).tags.count == ChangeTags.limit - 1)
    }

    @Test func aTaskWriteChangesTheTaskItsUnitsAndWhatIsReadAcrossTasks() throws {
        let task = ProgrammeTask(
            code: "T-1", title: "", description: "", deliverable: "", programme: "NQ57", orientation: nil,
            leadUnit: "01", coordinatingUnits: ["04", "48"], start: try #require(CivilDate(iso: "2026-01-01")),
            deadline: try #require(CivilDate(iso: "2026-06-30")), origin: .assigned, illustrative: false,
            createdAt: "2026-01-01T00:00:00.000Z")
        #expect(ChangeTags.taskWrite(task) == [.task("T-1"), .tasks, .unit("01"), .unit("04"), .unit("48")])
    }
}
