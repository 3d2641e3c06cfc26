import Testing

@testable import MandateCore

/// What each reader is shown of a task led by 01 (Hà Nội) with BKHCN and 00004 (a commune of
/// Hà Nội) coordinating: reports, names, history and the illustrative flag.
@Suite struct TaskDisclosureTests {
    static let paths: [String: UnitPath] = [
        "01": UnitPath(["01", "BCD"]), "BKHCN": UnitPath(["BKHCN", "BCD"]),
        "00004": UnitPath(["00004", "01", "BCD"]),
    ]

    static func task(illustrative: Bool = false) -> ProgrammeTask {
        ProgrammeTask(
            code: "T1", title: "t", description: "", deliverable: "d", programme: "P", orientation: nil,
            leadUnit: "01", coordinatingUnits: ["BKHCN", "00004"], start: CivilDate(iso: "2026-01-01")!,
            deadline: CivilDate(iso: "2026-03-31")!, origin: .assigned, illustrative: illustrative,
            createdAt: "2026-01-01")
    }

    static func report(_ unit: String, _ state: ReportState, illustrative: Bool = false) -> TaskReport {
        TaskReport(
            id: "\(unit)-\(state.rawValue)", task: "T1", unit: unit, percent: 50, narrative: "n", links: [],
            state: state, createdBy: "author-\(unit)", createdAt: "2026-02-01", submittedBy: "head-\(unit)",
            decidedBy: state == .accepted ? "analyst" : nil, illustrative: illustrative)
    }

    /// The readers, and the units whose officials each may see named, written out by hand.
    static let readers: [(name: String, principal: Principal, named: Set<String>)] = [
        ("anonymous", .anonymous, []),
        ("analyst", .user(role: .committeeAnalyst, unit: "BCD"), ["01", "BKHCN", "00004"]),
        ("viewer of the committee", .user(role: .viewer, unit: "BCD"), ["01", "BKHCN", "00004"]),
        ("head of 01", .user(role: .unitHead, unit: "01"), ["01", "00004"]),
        ("token of a reporter of 01", .token(role: .unitReporter, unit: "01"), ["01", "00004"]),
        ("reporter of BKHCN", .user(role: .unitReporter, unit: "BKHCN"), ["BKHCN"]),
        ("head of 00004", .user(role: .unitHead, unit: "00004"), ["00004"]),
    ]

    @Test func officialsAreNamedOnlyToThoseWhoMayReadTheirUnitsInternalData() {
        for (name, principal, named) in Self.readers {
            for (unit, path) in Self.paths {
                #expect(
                    OfficialNames.visible(to: principal, actingFor: path) == named.contains(unit),
                    "\(name), officials of \(unit)")
            }
            let shown = TaskDisclosure(task: Self.task(), reader: principal, units: Self.paths)
            for unit in Self.paths.keys {
                for state in ReportState.allCases {
                    let report = Self.report(unit, state)
                    let seen = shown.report(report)
                    // Accepted reports are public; the others go to readers of the unit's internal data.
                    #expect((seen != nil) == (state == .accepted || named.contains(unit)), "\(name): \(report.id)")
                    if let seen {
                        let people = [seen.createdBy, seen.submittedBy, seen.decidedBy].compactMap { $0 }
                        #expect(people.isEmpty == !named.contains(unit), "\(name) sees the officials of \(report.id)")
                    }
                }
                let request = DeadlineExtension(
                    id: "e", task: "T1", unit: unit, requestedDeadline: CivilDate(iso: "2026-04-30")!, reason: "r",
                    requestedBy: "asker", requestedAt: "2026-03-01", state: .granted, decidedBy: "analyst")
                let seenRequest = shown.request(request)
                #expect((seenRequest.requestedBy != nil) == named.contains(unit))
                #expect((seenRequest.decidedBy != nil) == named.contains(unit))
            }
            // The history goes to readers of the lead unit; each step names its official to
            // readers of the unit it was taken for.
            let events = Self.paths.keys.sorted().map {
                TaskEvent(at: "2026-02-01", kind: .progressRecorded, unit: $0, userId: "author-\($0)")
            }
            let history = shown.history(events)
            #expect((history != nil) == named.contains("01"), "\(name) sees the history")
            for event in history ?? [] {
                #expect((event.userId != nil) == named.contains(event.unit ?? ""), "\(name): \(event.unit ?? "")")
            }
        }
    }

    @Test func aReportIsIllustrativeWhenRecordedSoOrOnAnIllustrativeTask() throws {
        for recorded in [false, true] {
            for onTask in [false, true] {
                let report = Self.report("01", .accepted, illustrative: recorded)
                #expect(report.isIllustrative(onIllustrativeTask: onTask) == (recorded || onTask))
                let shown = TaskDisclosure(task: Self.task(illustrative: onTask), reader: .anonymous, units: Self.paths)
                #expect(shown.report(report)?.illustrative == (recorded || onTask))
                let fact = try report.publishedFact(onIllustrativeTask: onTask)
                #expect(fact.fields["illustrative"] == ((recorded || onTask) ? "true" : nil))
            }
        }
    }
}
