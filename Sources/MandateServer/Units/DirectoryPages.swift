import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The unit directory: search across all units, and each unit with the units below it.
struct DirectoryPages {
    let units: any UnitRepository
    let pages: PageRenderer
    /// The unit's tasks, indicators and ranks on its profile.
    let portal: PortalPages
    /// Partner units, added and edited by administrators.
    let partners: PartnerService
    /// Citizens' ratings, whose figures a profile shows.
    let feedback: FeedbackService
    /// The databases the unit keeps, which its profile lists.
    let catalogue: CatalogueService
    static let pageSize = 100
    /// How many published comments a profile shows.
    static let comments = 5

    /// The unit's satisfaction figures this year (its communes' ratings taken in), for a unit that
    /// takes ratings.
    func satisfaction(of unit: OrgUnit, _ page: PageRequest) async throws -> SatisfactionModel? {
        guard unit.kind.takesRatings else { return nil }
        let year = feedback.clock.today().year
        let counts = try await feedback.counts(of: unit.code, period: String(year))
        let hidden = try await feedback.feedback.hidden(rollingUp: unit.code, from: "\(year)-01", through: "\(year)-12")
        let comments = try await feedback.feedback.published(unit: unit.code, limit: Self.comments)
        return SatisfactionModel(
            unit: unit, year: year, counts: counts, minimum: feedback.minimum, hidden: hidden, comments: comments,
            page: page)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/units", use: list)
        router.get("/units/{code}", use: show)
        registerPartners(on: router)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let parameters = request.uri.queryParameters
        let search = parameters.formValue("q") ?? ""
        let kind = parameters["kind"].flatMap { UnitKind(rawValue: String($0)) }
        let offset = parameters["offset"].flatMap { Int(String($0)) }.map { max(0, $0) } ?? 0
        let found = try await units.list(
            UnitQuery(kind: kind, search: search, limit: Self.pageSize, offset: offset))
        let parents = try await parentNames(of: found.items)
        let shown = offset + found.items.count
        let countText = page.t(
            found.total > found.items.count ? "units_countPartial" : "units_count",
            ["total": page.number(found.total), "shown": "\(offset + 1)–\(shown)"])
        let kinds =
            [UnitsModel.KindOption(value: "", label: page.t("kind_all"), selected: kind == nil)]
            + UnitKind.allCases.map {
                UnitsModel.KindOption(value: $0.rawValue, label: page.t("kind_\($0.rawValue)"), selected: $0 == kind)
            }
        var more: String?
        if shown < found.total {
            var query = ["q=\(search.formEncoded)", "offset=\(shown)"]
            if let kind { query.append("kind=\(kind.rawValue)") }
            more = "/units?" + query.joined(separator: "&")
        }
        let model = UnitsModel(
            query: search, kinds: kinds, countText: countText,
            units: found.items.map { unit in
                UnitsModel.Item(
                    code: unit.code, name: unit.name, kindLabel: page.t("kind_\(unit.kind.rawValue)"),
                    parentName: unit.kind == .commune ? unit.parentCode.flatMap { parents[$0] } : nil)
            }, more: more != nil, moreHref: more,
            canAddPartner: try await partners.mayManage(page.identity?.principal ?? .anonymous))
        return try page.page(.units, title: page.t("units_title"), model: model).depending(on: [.units])
    }

    private func parentNames(of items: [OrgUnit]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for code in Set(items.compactMap(\.parentCode)) where names[code] == nil {
            names[code] = try await units.get(code: code)?.shortName
        }
        return names
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let code = try context.parameters.require("code")
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound("no unit has code \"\(code)\"")
        }
        let search = request.uri.queryParameters.formValue("q") ?? ""
        // A province has up to 170 communes: they are listed a page at a time.
        let offset = max(0, Int(request.uri.queryParameters.formValue("offset") ?? "") ?? 0)
        let children = try await units.list(
            UnitQuery(parentCode: code, search: search, limit: Self.childrenPageSize, offset: offset))
        func link(offset: Int) -> String {
            let query = search.isEmpty ? "" : "q=\(search.formEncoded)&"
            return "/units/\(code)?\(query)offset=\(offset)#children-title"
        }
        var ancestors: [UnitModel.Ancestor] = []
        for ancestor in (try await units.path(of: code)?.codes.dropFirst() ?? []).reversed() {
            if let unit = try await units.get(code: ancestor) {
                ancestors.append(.init(code: unit.code, shortName: unit.shortName))
            }
        }
        let predecessorLinks = try await units.predecessors(of: code)
        let predecessors = try await linked(predecessorLinks.map(\.predecessorCode), predecessorLinks)
        let successors = try await linked(
            try await units.successors(of: code).map(\.unitCode), try await units.successors(of: code))
        let editable =
            unit.kind == .partner ? try await partners.mayManage(page.identity?.principal ?? .anonymous) : false
        let model = UnitModel(
            live: "unit:\(unit.code)",
            unit: .init(
                code: unit.code, name: unit.name,
                type: PartnerType(unitType: unit.type).map { page.t("partnerType_\($0.rawValue)") } ?? unit.type,
                active: unit.active, nameEn: unit.nameEn),
            kindLabel: page.t("kind_\(unit.kind.rawValue)"), area: unit.areaKm2.map { page.number($0) },
            coordinates: unit.latitude.flatMap { latitude in unit.longitude.map { "\(latitude), \($0)" } },
            ancestors: ancestors, query: search, hasChildren: children.total > 0 || !search.isEmpty,
            childrenTitle: page.t("unit_children"),
            childrenCaption: page.t(
                "unit_childrenCaption", ["count": page.number(children.total), "name": unit.name]),
            children: children.items.map { child in
                .init(
                    code: child.code, name: child.name, type: child.type,
                    area: child.areaKm2.map { page.number($0) } ?? "")
            },
            childrenShown: page.t(
                "unit_childrenShown",
                [
                    "from": page.number(min(children.total, offset + 1)),
                    "to": page.number(offset + children.items.count), "count": page.number(children.total),
                ]),
            childrenNext: offset + children.items.count < children.total
                ? link(offset: offset + Self.childrenPageSize) : nil,
            childrenPrevious: offset > 0 ? link(offset: max(0, offset - Self.childrenPageSize)) : nil,
            predecessors: predecessors, hasPredecessors: !predecessors.isEmpty, successors: successors,
            hasSuccessors: !successors.isEmpty, profile: try await portal.profile(unit, page),
            editHref: editable ? "/partners/\(unit.code)/edit" : nil,
            rateHref: unit.kind.takesRatings && unit.active ? "/feedback/new?unit=\(unit.code.formEncoded)" : nil,
            satisfaction: try await satisfaction(of: unit, page), databases: try await databases(of: unit, page))
        // Its figures run on from those of the units it took over.
        let reads: [ChangeTag] =
            [.unit(code), .rankings, .catalogue] + predecessorLinks.map { .unit($0.predecessorCode) }
        return try page.page(.unit, title: unit.name, model: model, scripts: [.live])
            .depending(on: ChangeTags(reads))
    }

    /// The unit's own databases in the catalogue (the first `databasesShown`), each with its class
    /// and its four qualities; nil when it declared none.
    func databases(of unit: OrgUnit, _ page: PageRequest) async throws -> UnitModel.Databases? {
        let listing = try await catalogue.list(CatalogueQuery(unit: unit.code, limit: Self.databasesShown), filter: nil)
        let own = listing.items.filter { $0.record.owner == unit.code }
        let completion = try await catalogue.completion(of: unit.code)
        let below = completion.subtree
        guard !listing.items.isEmpty || below.expected > 0 else { return nil }
        let rate = { (value: Double?) in value.map { page.number($0) + " %" } ?? "—" }
        return UnitModel.Databases(
            completion: page.t(
                "unit_databasesCompletion",
                [
                    "expected": page.number(below.expected), "declared": page.number(below.declared),
                    "complete": page.number(below.complete), "rate": rate(below.completionRate),
                    "deadline": completion.expectations.deadline.description,
                    "byDeadline": page.number(below.byDeadline), "living": rate(below.livingRate),
                ]),
            items: own.compactMap { record, assessed in
                assessed.map {
                    .init(
                        code: record.code, name: $0.entry.name(in: page.language),
                        databaseClass: $0.databaseClass.rawValue, qualities: QualityRow.rows($0.qualities, page))
                }
            },
            total: page.t("unit_databasesTotal", ["count": page.number(listing.total)]),
            href: "/catalogue?unit=\(unit.code.formEncoded)")
    }

    static let databasesShown = 20

    /// Units listed on a page of their parent's.
    static let childrenPageSize = 50

    private func linked(_ codes: [String], _ links: [UnitLink]) async throws -> [UnitModel.Link] {
        var result: [UnitModel.Link] = []
        for (code, link) in zip(codes, links) {
            result.append(
                .init(code: code, name: try await units.get(code: code)?.name ?? code, effectiveOn: link.effectiveOn))
        }
        return result
    }
}
