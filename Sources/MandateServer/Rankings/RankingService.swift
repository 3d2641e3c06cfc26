import MandateCore
import MandateStore

/// The rankings' one write path, shared by the API and the pages: drafts (read by committee roles
/// only), publishing exactly the draft that was reviewed, and new method versions; every write is
/// authorised through `AccessGuard` before it runs.
struct RankingService: Sendable {
    let rankings: any RankingRepository
    let computer: RankingComputer
    /// Published rankings as read by the API and the pages; dropped by a publication's commit.
    let cache: ResponseCache
    let units: any UnitRepository
    let access: AccessGuard
    let clock: AppClock

    func method(_ id: String, version: Int?) async throws -> RankingMethod {
        guard let method = try await rankings.method(id: id, version: version) else {
            throw AppError.notFound("no ranking method \"\(id)\"" + (version.map { " version \($0)" } ?? ""))
        }
        return method
    }

    func published(methodId: String, period: String, version: Int?) async throws -> PublishedRanking {
        guard let ranking = try await rankings.published(methodId: methodId, period: period, version: version) else {
            throw AppError.notFound(
                "no published ranking \(methodId) for \(period)" + (version.map { " version \($0)" } ?? ""))
        }
        return ranking
    }

    /// The latest published version of the ranking's method and period.
    func latest(of ranking: PublishedRanking) async throws -> PublicationSummary? {
        try await rankings.latestPublication(methodId: ranking.methodId, period: ranking.period)
    }

    /// Whether the caller may draft and publish rankings (committee roles), for the pages' tools.
    func mayDraft(_ caller: ServiceCaller) async throws -> Bool {
        guard let unit = caller.principal.membership?.unit else { return false }
        return try await access.may(caller.principal, .publishRanking, on: unit)
    }

    /// Drafts are the committee's: only those who may publish see them (a read, not audited).
    func requireDrafting(_ caller: ServiceCaller) async throws {
        guard let unit = caller.principal.membership?.unit, let path = try await units.path(of: unit) else {
            throw AppError.unauthenticated
        }
        if case .deny(let reason) = Authorizer.decide(caller.principal, target: path, action: .publishRanking) {
            throw AppError.forbidden(reason)
        }
    }

    /// The ranking the current data give, computed now and not stored.
    func draft(
        methodId: String, period: String, methodVersion: Int?, previous: String?, _ caller: ServiceCaller
    ) async throws -> RankingComputer.Computed {
        try await requireDrafting(caller)
        return try await compute(methodId: methodId, period: period, methodVersion: methodVersion, previous: previous)
    }

    func compute(
        methodId: String, period: String, methodVersion: Int?, previous: String?
    ) async throws -> RankingComputer.Computed {
        let method = try await method(methodId, version: methodVersion)
        return try await computer.compute(
            method, period: try RankingParameters.period(period, field: "period"),
            previous: try previous.map { try RankingParameters.period($0, field: "previousPeriod") })
    }

    /// What publishing did: published the reviewed draft, or nothing because the ranking computed
    /// now differs from it (the new draft, and what changed).
    enum Publication {
        case published(PublishedRanking)
        case changed(RankingComputer.Computed, [ReviewedDraft.Change])
    }

    /// Publishes the draft the caller reviewed, as the next version of its method and period. The
    /// ranking is computed again by the method's latest version; if the method (its version, or an
    /// indicator's target) or the inputs changed since the draft was shown, nothing is published.
    /// `reviewed` reads what was reviewed from the request once the caller is known to be allowed.
    func publish(
        methodId: String, period: String, previous: String?, reviewed: () throws -> ReviewedDraft,
        _ caller: ServiceCaller
    ) async throws -> Publication {
        let unit = caller.principal.membership?.unit ?? ""
        try await access.require(.publishRanking, on: unit, caller, target: "ranking:\(methodId)/\(period)")
        let reviewed = try reviewed()
        let computed = try await compute(methodId: methodId, period: period, methodVersion: nil, previous: previous)
        let changes = reviewed.changes(method: computed.method, result: computed.result)
        guard changes.isEmpty else { return .changed(computed, changes) }
        let published = try await rankings.publish(
            method: computed.method, result: computed.result, inputsCSV: computed.inputsCSV, by: caller.user?.id,
            at: clock.now())
        return .published(published)
    }

    /// Saves a new version of a method (committee roles).
    func saveMethod(_ method: RankingMethod, _ caller: ServiceCaller) async throws {
        let unit = caller.principal.membership?.unit ?? ""
        try await access.require(
            .defineRankingMethod, on: unit, caller, target: "ranking-method:\(method.id)/\(method.version)")
        do {
            try await rankings.saveMethod(method, at: clock.now())
        } catch let failure as ValidationFailure {
            throw AppError(
                .conflict, "conflict", "Conflict", detail: failure.errors.first?.description, errors: failure.errors)
        }
    }
}
