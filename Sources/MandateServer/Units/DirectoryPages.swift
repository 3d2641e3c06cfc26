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
    static let pageSize = 100

    func register(on router: Router<AppRequestContext>) {
        router.get("/units", use: list)
        router.get("/units/{code}", use: show)
    }

    private func frame(_ request: Request, _ context: AppRequestContext, _ titleKey: String) -> PageRenderer.Frame {
        .init(
            request: request, language: context.language, identity: context.identity,
            title: pages.text(titleKey, context.language))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let search = parameters.formValue("q") ?? ""
        let kind = parameters["kind"].flatMap { UnitKind(rawValue: String($0)) }
        let offset = parameters["offset"].flatMap { Int(String($0)) }.map { max(0, $0) } ?? 0
        let page = try await units.list(
            UnitQuery(kind: kind, search: search, limit: Self.pageSize, offset: offset))
        let parents = try await parentNames(of: page.items)
        let language = context.language
        let shown = offset + page.items.count
        let countKey = page.total > page.items.count ? "units_countPartial" : "units_count"
        let countText = pages.text(countKey, language)
            .replacingOccurrences(of: "{total}", with: page.total.formatted(language))
            .replacingOccurrences(of: "{shown}", with: "\(offset + 1)–\(shown)")
        var kinds: [[String: Any]] = [
            ["value": "", "label": pages.text("kind_all", language), "selected": kind == nil]
        ]
        for option in UnitKind.allCases {
            kinds.append([
                "value": option.rawValue, "label": pages.text("kind_\(option.rawValue)", language),
                "selected": option == kind,
            ])
        }
        var data: [String: Any] = [
            "query": search, "kinds": kinds, "countText": countText,
            "units": page.items.map { unit -> [String: Any] in
                var item: [String: Any] = [
                    "code": unit.code, "name": unit.name,
                    "kindLabel": pages.text("kind_\(unit.kind.rawValue)", language),
                ]
                if unit.kind == .commune, let parent = unit.parentCode.flatMap({ parents[$0] }) {
                    item["parentName"] = parent
                }
                return item
            },
        ]
        if shown < page.total {
            var query = ["q=\(search.formEncoded)", "offset=\(shown)"]
            if let kind { query.append("kind=\(kind.rawValue)") }
            data["more"] = true
            data["moreHref"] = "/units?" + query.joined(separator: "&")
        }
        return try pages.render("units", frame: frame(request, context, "units_title"), data: data)
            .depending(on: [.units])
    }

    private func parentNames(of items: [OrgUnit]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for code in Set(items.compactMap(\.parentCode)) where names[code] == nil {
            names[code] = try await units.get(code: code)?.shortName
        }
        return names
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let unit = try await units.get(code: code) else {
            throw AppError.notFound("no unit has code \"\(code)\"")
        }
        let language = context.language
        let search = request.uri.queryParameters.formValue("q") ?? ""
        let children = try await units.list(
            UnitQuery(parentCode: code, search: search, limit: UnitsController.maximumLimit))
        var ancestors: [[String: Any]] = []
        for ancestor in (try await units.path(of: code)?.codes.dropFirst() ?? []).reversed() {
            if let unit = try await units.get(code: ancestor) {
                ancestors.append(["code": unit.code, "shortName": unit.shortName])
            }
        }
        let predecessors = try await linked(
            try await units.predecessors(of: code).map(\.predecessorCode), try await units.predecessors(of: code))
        let successors = try await linked(
            try await units.successors(of: code).map(\.unitCode), try await units.successors(of: code))
        let childrenTitle = pages.text("unit_children", language)
        let caption = pages.text("unit_childrenCaption", language)
            .replacingOccurrences(of: "{count}", with: children.total.formatted(language))
            .replacingOccurrences(of: "{name}", with: unit.name)
        var data: [String: Any] = [
            "unit": unit.template,
            "kindLabel": pages.text("kind_\(unit.kind.rawValue)", language),
            "ancestors": ancestors, "query": search,
            "hasChildren": children.total > 0 || !search.isEmpty, "childrenTitle": childrenTitle,
            "childrenCaption": caption,
            "children": children.items.map { child -> [String: Any] in
                [
                    "code": child.code, "name": child.name, "type": child.type,
                    "area": child.areaKm2.map { $0.formatted(language) } ?? "",
                ]
            },
            "hasPredecessors": !predecessors.isEmpty, "predecessors": predecessors,
            "hasSuccessors": !successors.isEmpty, "successors": successors,
        ]
        // Mustache shows a section for any present value, so absent facts are left out, not set empty.
        if let area = unit.areaKm2 { data["area"] = area.formatted(language) }
        if let latitude = unit.latitude, let longitude = unit.longitude {
            data["coordinates"] = "\(latitude), \(longitude)"
        }
        data.merge(try await portal.profile(unit, context)) { first, _ in first }
        var frame = frame(request, context, "units_title")
        frame.title = unit.name
        frame.scripts = ["/static/js/live.js"]
        // Its figures run on from those of the units it took over.
        let reads: [ChangeTag] =
            [.unit(code), .rankings] + (try await units.predecessors(of: code)).map { .unit($0.predecessorCode) }
        return try pages.render("unit", frame: frame, data: data).depending(on: ChangeTags(reads))
    }

    private func linked(_ codes: [String], _ links: [UnitLink]) async throws -> [[String: Any]] {
        var result: [[String: Any]] = []
        for (code, link) in zip(codes, links) {
            result.append([
                "code": code, "name": try await units.get(code: code)?.name ?? code, "effectiveOn": link.effectiveOn,
            ])
        }
        return result
    }
}

extension OrgUnit {
    /// The unit's own facts for a template; an absent English name is left out.
    var template: [String: Any] {
        var values: [String: Any] = ["code": code, "name": name, "type": type, "active": active]
        if let nameEn { values["nameEn"] = nameEn }
        return values
    }
}
