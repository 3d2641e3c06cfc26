import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `/work`, "My work": what waits for the signed-in user, each item a link to where it is done.
/// Signing in lands here. What is listed is what `Authorizer` lets the user do: values to enter
/// for the periods now due and drafts to approve (their own unit), reports and extension
/// requests to decide (the committee), draft reports to submit, recommendations to answer, what
/// waits for the head's sign-off, and overdue tasks (their unit).
struct WorkPages {
    let values: ValueService
    let tasks: TaskService
    let feedback: FeedbackService
    let pages: PageRenderer

    /// How many of each kind the page lists; the counts are whole.
    static let listed = 20

    func register(on router: Router<AppRequestContext>) {
        router.get("/work", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let identity = context.identity else {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        let page = PageRequest(request, context, pages)
        let principal = identity.principal
        let access = values.access
        let unitCode = identity.user.unitCode
        let today = values.clock.today()
        guard let unit = try await values.units.get(code: unitCode) else {
            throw AppError.notFound(field: "unit", "unknown unit \"\(unitCode)\"")
        }
        var sections: [WorkModel.Section] = []
        func section(_ id: String, _ items: [WorkModel.Item], total: Int? = nil) {
            guard !items.isEmpty else { return }
            let count = total ?? items.count
            sections.append(
                .init(
                    id: id, title: page.t("work_\(id)"), count: page.number(count), items: items,
                    more: count > items.count ? page.t("work_more", ["count": page.number(count - items.count)]) : nil))
        }

        // Values: for each frequency the unit reports at, the indicators without a value for the
        // period now due.
        let enters = try await access.may(principal, .enterValue, on: unitCode)
        if enters {
            let reported = try await values.indicators.list().filter { $0.appliesTo.contains(unit.kind) }
            let due = Dictionary(
                grouping: reported.compactMap { indicator in
                    ReportingPeriods.due(indicator.frequency, on: today).map { (indicator.code, $0) }
                }, by: \.1
            ).mapValues { $0.map(\.0) }
            let stored = try await values.values.list(
                ValueQuery(units: [unitCode], periods: due.keys.map(\.id), approvedOnly: false))
            let present = Set(stored.map { "\($0.indicator)/\($0.period)" })
            section(
                "enter",
                due.keys.sorted(by: >).compactMap { period in
                    let missing = (due[period] ?? []).filter { !present.contains("\($0)/\(period.id)") }.count
                    guard missing > 0 else { return nil }
                    return .init(
                        href: "/units/\(unitCode)/entry?period=\(period.id)",
                        text: page.t("work_enterItem", ["count": page.number(missing), "period": period.id]),
                        meta: unit.name)
                })
        }
        if try await access.may(principal, .approveValue, on: unitCode) {
            let waiting = try await values.values.awaitingApproval(unit: unitCode)
            section(
                "approve",
                waiting.keys.sorted(by: >).map { period in
                    .init(
                        href: "/units/\(unitCode)/entry?period=\(period)",
                        text: page.t(
                            "work_approveItem", ["count": page.number(waiting[period] ?? 0), "period": period]),
                        meta: unit.name)
                })
        }

        // The task workflow: what the committee decides, what the unit submits.
        let decides = Authorizer.maySomewhere(principal, .reviewReport)
        let submits = try await access.may(principal, .submitReport, on: unitCode)
        if decides || submits {
            let waiting = try await tasks.tasks.waiting(draftReportsOf: submits ? unitCode : nil, limit: Self.listed)
            let names = try await unitNames(waiting)
            func items(_ list: [WaitingItem]) -> [WorkModel.Item] {
                list.map { item in
                    .init(
                        href: "/tasks/\(item.task)", text: "\(item.task) · \(item.title)",
                        meta: [names[item.unit] ?? item.unit, Self.day(item.since)].joined(separator: " · "))
                }
            }
            if decides {
                section("decideReports", items(waiting.submittedReports), total: waiting.submittedReportCount)
                section("decideExtensions", items(waiting.pendingExtensions))
            }
            if submits { section("submitReports", items(waiting.draftReports)) }
        }
        // What waits for the unit outside the report workflow: recommendations addressed to it,
        // and what its reporters proposed or recommended, for its head's sign-off.
        let answers = try await access.may(principal, .answerRecommendation, on: unitCode)
        let signs = try await access.may(principal, .signOff, on: unitCode)
        if answers || signs {
            let waiting = try await tasks.tasks.waiting(on: unitCode, limit: Self.listed)
            let names = try await values.units.names(
                of: Set((waiting.toAnswer + waiting.recommendationsToSignOff).flatMap { [$0.fromUnit, $0.toUnit] }))
            func items(_ list: [Recommendation], from: Bool) -> [WorkModel.Item] {
                list.map { item in
                    let unit = from ? item.fromUnit : item.toUnit
                    var meta = [names[unit] ?? unit, page.t("work_due", ["date": item.due.description])]
                    if item.isOverdue(today: today) { meta.append(page.t("recommendations_overdue")) }
                    return .init(
                        href: "/recommendations?unit=\(unitCode.formEncoded)#recommendation-\(item.id)",
                        text: item.title,
                        meta: meta.joined(separator: " · "))
                }
            }
            if answers {
                section("answerRecommendations", items(waiting.toAnswer, from: true), total: waiting.toAnswerCount)
            }
            if signs {
                section("signOffRecommendations", items(waiting.recommendationsToSignOff, from: false))
                section(
                    "signOffProposals",
                    waiting.proposalsToSignOff.map { item in
                        .init(
                            href: "/tasks/\(item.task)", text: "\(item.task) · \(item.title)",
                            meta: Self.day(item.since))
                    })
            }
        }
        // Citizens' comments waiting for a moderator: the unit's own for its head, every unit's
        // for committee roles.
        let moderated = try await feedback.units(principal, mayAct: .moderateFeedback)
        if moderated?.isEmpty != true {
            let queue = try await feedback.feedback.moderationQueue(units: moderated, limit: Self.listed)
            let names = try await values.units.names(of: Set(queue.map(\.unit)))
            section(
                "moderate",
                queue.compactMap { item in
                    guard let reference = item.reference, let comment = item.comment else { return nil }
                    return .init(
                        href: "/feedback/moderation#comment-\(reference)", text: String(comment.prefix(80)),
                        meta: [names[item.unit] ?? item.unit, Self.day(item.receivedAt)].joined(separator: " · "))
                })
        }
        // Published comments waiting for the unit's answer.
        let answered = try await feedback.units(principal, mayAct: .answerFeedback)
        if answered?.isEmpty != true {
            let waiting = try await feedback.feedback.awaitingAnswer(units: answered, limit: Self.listed)
            let names = try await values.units.names(of: Set(waiting.map(\.unit)))
            section(
                "answerFeedback",
                waiting.compactMap { item in
                    guard let reference = item.reference, let comment = item.comment else { return nil }
                    var meta = [names[item.unit] ?? item.unit]
                    if let due = item.answerDue { meta.append(page.t("work_due", ["date": due.description])) }
                    if item.answerIsOverdue(today: today) { meta.append(page.t("recommendations_overdue")) }
                    return .init(
                        href: "/feedback/answers#answer-\(reference)", text: String(comment.prefix(80)),
                        meta: meta.joined(separator: " · "))
                })
        }
        let overdue = try await tasks.tasks.list(
            TaskQuery(unit: unitCode, status: .overdue, today: today, limit: Self.listed))
        section(
            "overdue",
            overdue.items.map { record in
                .init(
                    href: "/tasks/\(record.task.code)",
                    text: "\(record.task.code) · \(record.task.title(in: page.language))",
                    meta: page.t("work_deadline", ["date": record.task.deadline.description]))
            }, total: overdue.total)

        let model = WorkModel(
            unit: .init(code: unit.code, name: unit.name), sections: sections, isEmpty: sections.isEmpty,
            entryHref: enters ? "/units/\(unitCode)/entry" : nil)
        return try page.page(.work, title: page.t("work_title"), model: model)
    }

    /// The names of the units `waiting` names, in one read.
    private func unitNames(_ waiting: WaitingWork) async throws -> [String: String] {
        try await values.units.names(
            of: Set((waiting.submittedReports + waiting.pendingExtensions + waiting.draftReports).map(\.unit)))
    }

    /// The day of an ISO instant, as the lists show it.
    static func day(_ instant: String) -> String {
        String(instant.prefix(10))
    }
}

/// The "My work" page (`work.mustache`).
struct WorkModel: PageModel {
    struct UnitRef: Sendable {
        let code: String
        let name: String
    }

    struct Item: Sendable {
        let href: String
        let text: String
        let meta: String
    }

    struct Section: Sendable {
        let id: String
        let title: String
        let count: String
        let items: [Item]
        /// "and N more", when the list is cut.
        let more: String?
    }

    let unit: UnitRef
    let sections: [Section]
    let isEmpty: Bool
    /// The unit's entry form, when the user may enter values.
    let entryHref: String?
}
