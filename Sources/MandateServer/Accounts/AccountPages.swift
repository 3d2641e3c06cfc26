import Hummingbird
import MandateCore

/// `/account`: one's own account. Set up the second factor (`SecondFactor`), change the
/// password, sign out elsewhere: the same rules as the session's API, as forms.
struct AccountPages {
    let accounts: AccountService
    let access: AccessGuard
    let pages: PageRenderer
    let cookies: SessionCookies

    func register(on router: Router<AppRequestContext>) {
        router.get("/account", use: show)
        router.post("/account/second-factor", use: offer)
        router.post("/account/second-factor/confirm", use: confirm)
        router.post("/account/password", use: changePassword)
        router.post("/account/sessions/others", use: endOthers)
    }

    /// What the page shows beyond the account itself.
    struct Outcome {
        var offer: AccountService.Offer?
        var recoveryCodes: [String] = []
        var problems: [String] = []
        var notice: String?
        var status: HTTPResponse.Status = .ok
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.identity != nil else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        return try await render(request, context, Outcome())
    }

    @Sendable func offer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try AuthenticatedContext(context: context).user
        let fields = try await Self.fields(request)
        return try await attempt(request, context) {
            Outcome(offer: try await accounts.offerSecondFactor(to: user, password: fields["password"] ?? ""))
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try AuthenticatedContext(context: context).user
        let fields = try await Self.fields(request)
        do {
            let codes = try await accounts.confirmSecondFactor(of: user, code: fields["code"] ?? "")
            context.logger.notice("second factor set up", metadata: ["user": .string(user.id)])
            var context = context
            context.identity?.user.secondFactor = true
            context.identity?.enrolling = false
            return try await render(request, context, Outcome(recoveryCodes: codes))
        } catch let failure as ValidationFailure {
            let offer = try await accounts.pendingOffer(for: user)
            return try await render(
                request, context,
                Outcome(offer: offer, problems: failure.errors.map(\.reason), status: .unprocessableContent))
        } catch let error as AppError where error.status.code < 500 {
            return try await render(
                request, context, Outcome(problems: [error.detail ?? error.title], status: error.status))
        }
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try AuthenticatedContext(context: context).user
        let fields = try await Self.fields(request)
        var changed = false
        let failed = try await attempt(request, context) {
            try await accounts.changePassword(
                of: user, current: fields["currentPassword"] ?? "", new: fields["newPassword"] ?? "")
            changed = true
            return Outcome()
        }
        guard changed else { return failed }
        context.logger.notice("password changed", metadata: ["user": .string(user.id)])
        // Every session of the account ended with the old password, this one too.
        var response = Response(status: .seeOther, headers: [.location: "/login?done=password"])
        response.setCookie(cookies.expired(secure: cookies.secure(request)))
        return response
    }

    @Sendable func endOthers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ended = try await accounts.endOtherSessions(of: try AuthenticatedContext(context: context).identity)
        let page = PageRequest(request, context, pages)
        return try await render(
            request, context, Outcome(notice: page.t("account_endedOthers", ["count": page.number(ended)])))
    }

    /// `work`'s outcome; a refusal or bad input is shown on the page with its reason.
    private func attempt(
        _ request: Request, _ context: AppRequestContext, _ work: () async throws -> Outcome
    ) async throws -> Response {
        let outcome: Outcome
        do {
            outcome = try await work()
        } catch let failure as ValidationFailure {
            outcome = Outcome(problems: failure.errors.map(\.reason), status: .unprocessableContent)
        } catch let error as AppError where error.status.code < 500 {
            outcome = Outcome(problems: [error.detail ?? error.title], status: error.status)
        }
        return try await render(request, context, outcome)
    }

    private static func fields(_ request: Request) async throws -> FormFields {
        var request = request
        return FormFields(body: try await request.collectBody(upTo: 64 * 1024))
    }

    private func render(_ request: Request, _ context: AppRequestContext, _ outcome: Outcome) async throws -> Response {
        let identity = try AuthenticatedContext(context: context).identity
        let user = identity.user
        let page = PageRequest(request, context, pages)
        let left = try await accounts.accounts.secondFactor(userId: user.id)?.recoveryCodesLeft ?? 0
        let model = AccountModel(
            email: user.email, role: page.t("role_\(user.role.rawValue)"), unitCode: user.unitCode,
            secondFactor: user.secondFactor,
            secondFactorText: user.secondFactor
                ? page.t("account_secondFactorOn", ["left": page.number(left)]) : page.t("account_secondFactorOff"),
            enrolling: identity.enrolling,
            offer: outcome.offer.map { AccountModel.OfferView(uri: $0.uri, grouped: Self.grouped($0.secret)) },
            recoveryCodes: outcome.recoveryCodes, hasRecoveryCodes: !outcome.recoveryCodes.isEmpty,
            notice: outcome.notice, problems: outcome.problems,
            hasProblems: !outcome.problems.isEmpty,
            managesAccounts: try await access.may(identity.principal, .manageAccounts, on: user.unitCode))
        return try page.page(.account, title: page.t("account_title"), model: model, status: outcome.status)
    }

    /// A secret in groups of four, easier to type into an app.
    static func grouped(_ secret: String) -> String {
        var groups: [Substring] = []
        var rest = Substring(secret)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }
}

/// The account page.
struct AccountModel: PageModel {
    struct OfferView: Sendable {
        let uri: String
        let grouped: String
    }
    let email: String
    let role: String
    let unitCode: String
    let secondFactor: Bool
    let secondFactorText: String
    let enrolling: Bool
    let offer: OfferView?
    let recoveryCodes: [String]
    let hasRecoveryCodes: Bool
    let notice: String?
    let problems: [String]
    let hasProblems: Bool
    /// Whether the user administers their unit's accounts (`/units/{code}/users`).
    let managesAccounts: Bool
}
