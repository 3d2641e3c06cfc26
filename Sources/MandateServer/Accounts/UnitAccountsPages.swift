import Hummingbird
import MandateCore
import MandateStore

/// `/units/{code}/users`: a unit's accounts, for those who may read the unit's internal data; an
/// administrator of the unit's tree also makes a one-time link there for an owner who forgot
/// their password (`PasswordReset`), the same rule as the API's.
struct UnitAccountsPages {
    let accounts: AccountService
    let access: AccessGuard
    let units: any UnitRepository
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/units/{code}/users", use: show)
        router.post("/units/{code}/users/{id}/password-reset", use: issue)
    }

    /// What the page shows beyond the list: a link just made, or why it was not.
    struct Outcome {
        var link: String?
        var linkFor: String?
        var expires: String?
        var problems: [String] = []
        var status: HTTPResponse.Status = .ok
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        return try await render(request, context, Outcome())
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let signedIn = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let page = PageRequest(request, context, pages)
        guard let user = try await accounts.accounts.user(id: id), user.unitCode == code else {
            throw AppError.notFound("no account of unit \(code) has id \"\(id)\"")
        }
        try await access.require(
            .manageAccounts, on: code, by: signedIn.identity, target: "user:\(id)", requestId: context.id,
            logger: context.logger)
        do {
            let issued = try await accounts.issuePasswordReset(for: user, by: signedIn.user)
            context.logger.notice(
                "password reset link made", metadata: ["user": .string(id), "by": .string(signedIn.user.id)])
            let origin = request.head.authority.map { (request.isSecure ? "https://" : "http://") + $0 } ?? ""
            return try await render(
                request, context,
                Outcome(
                    link: origin + issued.path, linkFor: user.email,
                    expires: HanoiTime.text(issued.expiresAt, page.language)))
        } catch let error as AppError where error.status == .conflict {
            let key = error.slug == "own-account" ? "users_ownAccount" : "users_accountDisabled"
            return try await render(request, context, Outcome(problems: [page.t(key)], status: .conflict))
        }
    }

    private func render(_ request: Request, _ context: AppRequestContext, _ outcome: Outcome) async throws -> Response {
        let identity = try AuthenticatedContext(context: context).identity
        let code = try context.parameters.require("code")
        let page = PageRequest(request, context, pages)
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound(field: "unit", "unknown unit \"\(code)\"")
        }
        try await access.require(
            .readInternal, on: code, by: identity, requestId: context.id, logger: context.logger)
        let manages = try await access.may(identity.principal, .manageAccounts, on: code)
        let rows = try await accounts.accounts.users(unitCode: code).map { user in
            UnitAccountsModel.Row(
                id: user.id, email: user.email, name: user.displayName, role: page.t("role_\(user.role.rawValue)"),
                state: page.t(user.active ? "users_active" : "users_disabled"),
                secondFactor: page.t(user.secondFactor ? "users_secondFactorOn" : "users_secondFactorOff"),
                mayReset: manages && user.active && user.id != identity.user.id)
        }
        let model = UnitAccountsModel(
            unitCode: code, unitName: page.language == .en ? (unit.nameEn ?? unit.name) : unit.name, rows: rows,
            hasRows: !rows.isEmpty, manages: manages, link: outcome.link, linkFor: outcome.linkFor,
            expires: outcome.expires, problems: outcome.problems, hasProblems: !outcome.problems.isEmpty)
        return try page.page(
            .unitAccounts, title: page.t("users_title", ["unit": model.unitName]), model: model, status: outcome.status)
    }
}

/// A unit's accounts (`unit-accounts.mustache`).
struct UnitAccountsModel: PageModel {
    struct Row: Sendable {
        let id: String
        let email: String
        let name: String
        let role: String
        let state: String
        let secondFactor: String
        /// Whether the reader may make a reset link for it here.
        let mayReset: Bool
    }

    let unitCode: String
    let unitName: String
    let rows: [Row]
    let hasRows: Bool
    let manages: Bool
    /// A reset link just made (shown once), for whom, and until when.
    let link: String?
    let linkFor: String?
    let expires: String?
    let problems: [String]
    let hasProblems: Bool
}
