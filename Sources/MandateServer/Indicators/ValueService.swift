import MandateCore
import MandateStore

/// The indicators' one write path, shared by the API and the entry page: values entered, imported
/// and approved; indicator definitions and validation rules. Every write is authorised through
/// `AccessGuard` for the caller's principal before it runs, and recorded with its author.
struct ValueService: Sendable {
    let values: any DataValueRepository
    let indicators: any IndicatorRepository
    let units: any UnitRepository
    let access: AccessGuard
    let clock: AppClock
    /// Imports read and checked at once (each holds its body, at most
    /// `DataValuesController.maximumImportSize`, and its parsed rows), and those that may wait for
    /// their turn before reading theirs; one more is refused with 503 at once.
    let imports = ConcurrencyGate(running: 2, waiting: 16, busy: ValueService.importsBusy)

    static let importsBusy = {
        var error = AppError(
            .serviceUnavailable, "imports-busy", "Imports are busy",
            detail: "many imports are being checked or wait their turn now; try again in a little while")
        error.retryAfter = 10
        return error
    }()

    private func submitter(_ caller: ServiceCaller, approved: Bool = false) -> Submitter {
        Submitter(userId: caller.user?.id, status: approved ? .approved : .draft, at: clock.now())
    }

    /// Enters one value as a draft for the unit head to approve; answers with the value as stored,
    /// read in the write's own transaction (never a reader's older snapshot), and whether it is new.
    func enter(_ input: DataValueInput, _ caller: ServiceCaller) async throws -> (value: DataValue, created: Bool) {
        try await access.require(.enterValue, on: input.key.unit, caller, target: "value:\(input.key)")
        let (summary, stored) = try await values.submit([input], by: submitter(caller), readingBack: [input.key])
        guard let value = stored[input.key] else { throw AppError.notFound("no value for \(input.key)") }
        return (value, summary.created == 1)
    }

    /// Enters a unit's values for one period from its entry form, as drafts, held to the whole-
    /// submission rules (`required`).
    func enter(
        form inputs: [DataValueInput], unit: String, period: Period, _ caller: ServiceCaller
    ) async throws
        -> WriteSummary
    {
        try await access.require(.enterValue, on: unit, caller, target: "entry:\(unit)/\(period.id)")
        return try await values.submit(inputs, by: submitter(caller), wholeSubmission: true, progress: nil)
    }

    /// Refuses (403, audited) a caller who may enter values (or approve them, with `approve`) for no
    /// unit at all, before a set is read: a viewer's large file is not parsed only to be refused.
    func requireMayImport(approve: Bool, _ caller: ServiceCaller) async throws {
        let action: Action = approve ? .approveValue : .enterValue
        guard !Authorizer.maySomewhere(caller.principal, action) else { return }
        try await access.require(action, on: caller.principal.membership?.unit ?? "", caller, target: "dataValueSet")
        throw AppError.forbidden("this account may not \(action.phrase)")
    }

    /// Imports a whole set, all or nothing: drafts, or approved values when `approve` and the
    /// caller may approve for every unit in it. The units a row names must be the caller's to write
    /// (unknown ones are reported row by row by the check).
    func importSet(_ parts: DataValueParts, approve: Bool, _ caller: ServiceCaller) async throws -> WriteSummary {
        var parts = parts
        let inputs = try parts.all()
        let known = try await units.names(of: Set(inputs.map(\.key.unit)))
        for unit in known.keys.sorted() {
            try await access.require(approve ? .approveValue : .enterValue, on: unit, caller, target: "dataValueSet")
        }
        return try await values.submit(
            DataValueParts(inputs, shapeErrors: parts.shapeErrors), by: submitter(caller, approved: approve),
            wholeSubmission: true, progress: nil)
    }

    /// The unit head's approval of one value: it becomes public and rolls up.
    func approve(_ key: DataValueKey, _ caller: ServiceCaller) async throws -> DataValue {
        try await access.require(.approveValue, on: key.unit, caller, target: "value:\(key)")
        guard let value = try await values.approve([key], by: caller.user?.id, at: clock.now()).first else {
            throw AppError.notFound("no value for \(key)")
        }
        return value
    }

    /// The unit head approves every draft and waiting correction of a unit and period at once.
    func approveAll(unit: String, period: Period, _ caller: ServiceCaller) async throws -> [DataValue] {
        try await requireApproval(unit, period: period, caller)
        let drafts = try await values.list(ValueQuery(units: [unit], periods: [period.id], approvedOnly: false))
            .filter(\.awaitsApproval)
        return try await values.approve(drafts.map(\.key), by: caller.user?.id, at: clock.now())
    }

    /// Refuses (403) a caller who may not approve the unit's values: asked before showing what
    /// approving would make public, as before approving.
    func requireApproval(_ unit: String, period: Period, _ caller: ServiceCaller) async throws {
        try await access.require(.approveValue, on: unit, caller, target: "entry:\(unit)/\(period.id)")
    }

    /// Refuses (403) a caller who may not read the unit's internal data (drafts, history).
    func requireInternalRead(_ unit: String, _ caller: ServiceCaller) async throws {
        try await access.require(.readInternal, on: unit, caller, target: nil)
    }

    /// Whether the caller may enter and approve values of `unit`: the entry page offers exactly that.
    func offers(on unit: String, _ caller: ServiceCaller) async throws -> (enter: Bool, approve: Bool) {
        (
            try await access.may(caller.principal, .enterValue, on: unit),
            try await access.may(caller.principal, .approveValue, on: unit)
        )
    }
}

extension ValueService {
    /// Defines a new indicator, or replaces one (`replacing`: its code in the path), by committee roles.
    func define(_ indicator: Indicator, replacing code: String?, _ caller: ServiceCaller) async throws -> Indicator {
        var indicator = indicator
        let unit = caller.principal.membership?.unit ?? ""
        try await access.require(.defineIndicator, on: unit, caller, target: "indicator:\(code ?? indicator.code)")
        let existing = try await indicators.get(code: code ?? indicator.code)
        if let code {
            guard existing != nil else { throw AppError.notFound("no indicator has code \"\(code)\"") }
            guard indicator.code == code else {
                throw AppError.badRequest(
                    field: "code", "the body's code \"\(indicator.code)\" is not the path's \"\(code)\"")
            }
            indicator.targets.sort { $0.year < $1.year }
        } else if existing != nil {
            throw AppError(
                .conflict, "conflict", "Conflict", detail: "indicator \(indicator.code) exists; PUT it to change it",
                errors: [RowError(line: nil, column: "code", reason: "indicator \(indicator.code) already exists")])
        }
        try await IndicatorImporter(indicators: indicators).save([indicator])
        return indicator
    }

    /// Creates or replaces the validation rule with `code`; returns whether it is new.
    func save(_ rule: ValidationRule, code: String, _ caller: ServiceCaller) async throws -> Bool {
        let unit = caller.principal.membership?.unit ?? ""
        try await access.require(.defineIndicator, on: unit, caller, target: "rule:\(code)")
        guard rule.code == code else {
            throw AppError.badRequest(field: "code", "the body's code \"\(rule.code)\" is not the path's \"\(code)\"")
        }
        let problems = rule.problems(known: Set(try await indicators.list().map(\.code)))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        let existed = try await indicators.rules().contains { $0.code == code }
        try await indicators.saveRules([rule])
        return !existed
    }

    func deleteRule(_ code: String, _ caller: ServiceCaller) async throws {
        let unit = caller.principal.membership?.unit ?? ""
        try await access.require(.defineIndicator, on: unit, caller, target: "rule:\(code)")
        guard try await indicators.deleteRule(code: code) else {
            throw AppError.notFound("no rule has code \"\(code)\"")
        }
    }
}
