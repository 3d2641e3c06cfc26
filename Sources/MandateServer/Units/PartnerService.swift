import MandateCore
import MandateStore

/// Partner units added and edited by who may manage units (`Action.manageUnits` on the
/// committee's unit), through the API and the partner form alike.
struct PartnerService: Sendable {
    let units: any UnitRepository
    let access: AccessGuard

    func committee() async throws -> String {
        guard let root = try await units.root() else { throw AppError.notFound("the unit tree has no committee") }
        return root
    }

    func requireMayManage(_ caller: ServiceCaller, target: String) async throws {
        try await access.require(
            .manageUnits, on: try await committee(), principal: caller.principal, userId: caller.user?.id,
            target: target, requestId: caller.requestId, logger: caller.logger)
    }

    /// Whether `principal` may add and edit partners: what the pages ask before they link the form.
    func mayManage(_ principal: Principal) async throws -> Bool {
        try await access.may(principal, .manageUnits, on: try await committee())
    }

    /// Adds the partner (`code` nil) or replaces what the draft says of partner `code`.
    func save(_ draft: PartnerDraft, code: String?, _ caller: ServiceCaller) async throws -> OrgUnit {
        try await requireMayManage(caller, target: "unit:\(code ?? draft.code)")
        if let code, draft.code != code {
            throw AppError.badRequest(field: "code", "the body's code \"\(draft.code)\" is not the path's \"\(code)\"")
        }
        let existing = try await units.get(code: draft.code)
        if code == nil, existing != nil {
            throw StateConflict(field: "code", "a unit with code \(draft.code) already exists")
        }
        if code != nil, existing == nil { throw AppError.notFound("no unit has code \"\(draft.code)\"") }
        let unit = try draft.unit(under: try await committee(), existing: existing)
        try await units.save([unit], links: [])
        return unit
    }
}
