import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The entry form of a unit for one period: the indicators that apply, their targets and values.
struct EntryPages {
    let service: ValueService
    let pages: PageRenderer
    var units: any UnitRepository { service.units }
    var indicators: any IndicatorRepository { service.indicators }
    var values: any DataValueRepository { service.values }
    var clock: AppClock { service.clock }

    func register(on router: Router<AppRequestContext>) {
        router.get("/units/{code}/entry", use: form)
        router.post("/units/{code}/entry", use: save)
        router.post("/units/{code}/entry/approve", use: approve)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let context = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        try await service.requireInternalRead(code, context.caller)
        let asked = request.uri.queryParameters["period"].map(String.init)
        var period = try period(asked)
        if asked?.isEmpty ?? true, let unit = try await units.get(code: code) {
            // The period now due of the finest frequency the unit reports at.
            let frequencies = Set(try await reported(by: unit).map(\.frequency))
            period = ReportingPeriods.opening(frequencies: frequencies, on: clock.today()) ?? period
        }
        let saved = request.uri.queryParameters["saved"].flatMap { Int(String($0)) }
        let approved = request.uri.queryParameters["approved"].flatMap { Int(String($0)) }
        return try await render(
            page, context, code: code, period: period, entered: [:], errors: [], saved: saved, approved: approved)
    }

    /// What a form posted to a unit's entry page says: the unit, the fields, the period.
    struct Posted {
        let context: AuthenticatedContext
        let code: String
        let fields: FormFields
        let period: Period
    }

    func posted(_ request: Request, _ context: AppRequestContext, upTo size: Int) async throws -> Posted {
        let context = try AuthenticatedContext(context: context)
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: size))
        let period = try period(fields["period"])
        return Posted(context: context, code: code, fields: fields, period: period)
    }

    @Sendable func save(_ request: Request, context originalContext: AppRequestContext) async throws -> Response {
        let posted = try await posted(request, originalContext, upTo: 256 * 1024)
        let (context, code, fields, period) = (posted.context, posted.code, posted.fields, posted.period)
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound("no unit has code \"\(code)\"")
        }
        let rows = try await applicable(to: unit, in: period)
        let page = PageRequest(request, originalContext, pages)
        var inputs: [DataValueInput] = []
        var entered: [String: Entered] = [:]
        var unread: [(String, [String])] = []
        for indicator in rows {
            let typed = (fields["value_\(indicator.code)"] ?? "").trimmingWhitespace()
            // A field the form did not send keeps what is stored; one sent blank clears it.
            let comment = fields["comment_\(indicator.code)"]?.trimmingWhitespace()
            let evidence = fields["evidence_\(indicator.code)"]?.trimmingWhitespace()
            entered[indicator.code] = Entered(value: typed, comment: comment, evidence: evidence)
            guard !typed.isEmpty else { continue }
            // Numbers as the page's language writes them; the checks downstream read the file notation.
            let value: String
            switch Self.read(typed, as: indicator.valueType, page.language) {
            case .success(let text): value = text
            case .failure(let problem):
                unread.append((indicator.code, [Self.message(problem, typed, page)]))
                continue
            }
            // The line of an input is its place in `inputs`, so that errors map back to their rows.
            inputs.append(
                DataValueInput(
                    key: DataValueKey(indicator: indicator.code, unit: code, period: period.id), value: value,
                    comment: comment, evidence: evidence, origin: .line(inputs.count)))
        }
        if !unread.isEmpty {
            return try await render(
                page, context, code: code, period: period, entered: entered, errors: unread, saved: nil,
                approved: nil, status: .unprocessableContent)
        }
        do {
            let summary = try await service.enter(form: inputs, unit: code, period: period, context.caller)
            let location = "/units/\(code)/entry?period=\(period.id)&saved=\(summary.created + summary.updated)"
            return Response(status: .seeOther, headers: [.location: location])
        } catch let failure as ValidationFailure {
            var errors: [String: [String]] = [:]
            for error in failure.errors {
                let indicator = error.line.flatMap { inputs.indices.contains($0) ? inputs[$0].key.indicator : nil }
                errors[indicator ?? "", default: []].append(error.reason)
            }
            return try await render(
                page, context, code: code, period: period, entered: entered,
                errors: errors.map { ($0.key, $0.value) }, saved: nil, approved: nil, status: .unprocessableContent)
        }
    }

    /// The periods the form offers, by frequency (finest first): the one under way and those
    /// before it, the one now due marked, and the one shown selected (listed even if older).
    static func periodGroups(
        _ frequencies: Set<Frequency>, chosen: Period, today: CivilDate, _ page: PageRequest
    ) -> [EntryModel.PeriodGroup] {
        Frequency.allCases.filter { frequencies.contains($0) || $0 == chosen.frequency }.map { frequency in
            var periods = ReportingPeriods.offered(
                frequency, on: today, count: ReportingPeriods.offeredCount(frequency))
            if chosen.frequency == frequency, !periods.contains(chosen) { periods.append(chosen) }
            let due = ReportingPeriods.due(frequency, on: today)
            return EntryModel.PeriodGroup(
                label: page.t("frequency_\(frequency.rawValue)"),
                options: periods.map { period in
                    EntryModel.PeriodOption(
                        id: period.id,
                        label: period == due ? page.t("entry_periodDue", ["period": period.id]) : period.id,
                        selected: period == chosen)
                })
        }
    }

    /// A typed value in the file notation the checks read, or why it cannot be read. A yes/no
    /// value may be a word (`có`, `không`, `yes`, `no`).
    static func read(_ typed: String, as type: ValueType, _ language: Language) -> Result<String, WrittenNumber.Problem>
    {
        if type == .yesno, ValueText.parse(typed, as: .yesno) != nil, Double(typed) == nil { return .success(typed) }
        return WrittenNumber.read(typed, language, percent: type == .percent).map(ValueText.format)
    }

    /// Why a typed value was not read, in the page's language, with what to write instead.
    static func message(_ problem: WrittenNumber.Problem, _ typed: String, _ page: PageRequest) -> String {
        let reason = WrittenNumber.reason(problem, typed: typed)
        return page.language == .vi ? reason.vietnamese : reason.english
    }

    /// What the form sent for one indicator, shown again when the form is refused.
    struct Entered {
        var value: String
        var comment: String?
        var evidence: String?
    }

    /// The unit head approves every draft of the unit and period at once: they become public.
    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await posted(request, context, upTo: 16 * 1024)
        let (code, period) = (posted.code, posted.period)
        guard posted.fields["confirmed"] == "yes" else {
            // First what would become public, and a button that confirms it.
            try await service.requireApproval(code, period: period, posted.context.caller)
            let page = PageRequest(request, context, pages)
            return try await render(
                page, posted.context, code: code, period: period, entered: [:], errors: [], saved: nil, approved: nil,
                confirming: true)
        }
        let approved = try await service.approveAll(unit: code, period: period, posted.context.caller)
        let location = "/units/\(code)/entry?period=\(period.id)&approved=\(approved.count)"
        return Response(status: .seeOther, headers: [.location: location])
    }

    /// The period asked for, or the last quarter that has ended.
    func period(_ text: String?) throws -> Period {
        guard let text, !text.isEmpty else {
            let today = clock.today()
            let quarter = (today.month - 1) / 3
            return
                (try? Period(
                    year: quarter == 0 ? today.year - 1 : today.year, frequency: .quarterly,
                    index: quarter == 0 ? 4 : quarter))
                ?? Period.all(of: .yearly, in: today.year)[0]
        }
        do {
            return try Period(text)
        } catch {
            throw AppError.badRequest(field: "period", error.reason)
        }
    }

    /// The indicators a unit of this kind reports, at any frequency.
    func reported(by unit: OrgUnit) async throws -> [Indicator] {
        try await indicators.list().filter { $0.appliesTo.contains(unit.kind) }
    }

    /// Those of them reported for `period`: the rows of its form.
    func applicable(to unit: OrgUnit, in period: Period) async throws -> [Indicator] {
        try await reported(by: unit).filter { $0.frequency == period.frequency }
    }

    private func render(
        _ page: PageRequest, _ context: AuthenticatedContext, code: String, period: Period,
        entered: [String: Entered], errors: [(String, [String])], saved: Int?, approved: Int?,
        status: HTTPResponse.Status = .ok, confirming: Bool = false
    ) async throws -> Response {
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound("no unit has code \"\(code)\"")
        }
        // The page offers what the writes would allow: the same decisions, for the same principal.
        let (canEnter, canApprove) = try await service.offers(on: code, context.caller)
        let stored = try await values.list(ValueQuery(units: [code], periods: [period.id], approvedOnly: false))
        let byIndicator = Dictionary(stored.map { ($0.indicator, $0) }, uniquingKeysWith: { first, _ in first })
        let errorsByIndicator = Dictionary(errors, uniquingKeysWith: +)
        let reported = try await reported(by: unit)
        let rows = reported.filter { $0.frequency == period.frequency }.map { indicator in
            let current = byIndicator[indicator.code]
            let latest = current?.latestEntry
            var state = current.map { page.t("status_\($0.status.rawValue)") }
            if let current, current.pending != nil {
                // The approved value stays public until the correction is approved.
                state = page.t("status_correction", ["value": WrittenNumber.written(current.value, page.language)])
            }
            return EntryModel.Row(
                code: indicator.code, name: page.language == .vi ? indicator.nameVi : indicator.nameEn,
                unitOfMeasure: indicator.unitOfMeasure.isEmpty ? nil : indicator.unitOfMeasure,
                value: entered[indicator.code]?.value ?? latest.map { WrittenNumber.written($0.value, page.language) }
                    ?? "",
                comment: entered[indicator.code]?.comment ?? latest?.comment ?? "",
                evidence: entered[indicator.code]?.evidence ?? latest?.evidence ?? "",
                illustrative: indicator.illustrative,
                target: indicator.target(for: period.year).map { WrittenNumber.written($0, page.language) },
                status: state, errors: errorsByIndicator[indicator.code])
        }
        let drafts = stored.filter(\.awaitsApproval).count
        let model = EntryModel(
            periodGroups: Self.periodGroups(
                Set(reported.map(\.frequency)), chosen: period, today: clock.today(), page),
            unit: .init(code: unit.code, name: unit.name), period: period.id, rows: rows, hasRows: !rows.isEmpty,
            canEnter: canEnter, formErrors: errorsByIndicator[""] ?? [], hasErrors: !errors.isEmpty,
            savedText: saved.map { page.t("entry_saved", ["count": "\($0)"]) },
            approvedText: approved.map { page.t("entry_approved", ["count": "\($0)"]) },
            approveText: canApprove && drafts > 0 ? page.t("entry_approve", ["count": "\(drafts)"]) : nil,
            confirming: confirming && canApprove && drafts > 0,
            confirmation: stored.filter { confirming && $0.awaitsApproval }.map { value in
                let indicator = reported.first { $0.code == value.indicator }
                let shown = value.latestEntry
                let number = NumberText.format(shown.value, page.language, fractionDigits: 6)
                return EntryModel.Draft(
                    name: indicator.map { page.language == .vi ? $0.nameVi : $0.nameEn } ?? value.indicator,
                    value: [number, indicator?.unitOfMeasure ?? ""].filter { !$0.isEmpty }.joined(separator: " "),
                    comment: shown.comment ?? "")
            })
        return try page.page(
            .entry, title: "\(page.t("entry_title")): \(unit.name), \(period.id)", model: model, status: status)
    }
}
