import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The catalogue's pages: the public list and one database's page; for a unit's reporters the
/// form to declare or edit a database, and for its head the approval (`CatalogueService`, the
/// API's paths). Every page works without JavaScript.
struct CataloguePages {
    let service: CatalogueService
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/catalogue", use: list)
        router.get("/catalogue/new", use: newEntry)
        router.get("/catalogue/import", use: importPage)
        router.post("/catalogue/import", use: importFile)
        router.get("/catalogue/expectations", use: expectationsPage)
        router.post("/catalogue/expectations", use: setExpectations)
        router.post("/catalogue/new", use: create)
        router.get("/catalogue/{code}", use: entry)
        router.get("/catalogue/{code}/edit", use: edit)
        router.post("/catalogue/{code}/edit", use: update)
        router.post("/catalogue/{code}/approve", use: approve)
        router.get("/catalogue/{code}/audit", use: auditPage)
        router.post("/catalogue/{code}/audit", use: audit)
    }

    static let pageSize = 50

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let parameters = request.uri.queryParameters
        let value = { (name: String) in parameters.formValue(name) ?? "" }
        let offset = max(0, min(Int(value("offset")) ?? 0, 1_000_000))
        let query = CatalogueQuery(
            unit: value("unit").isEmpty ? nil : value("unit"), level: DatabaseLevel(rawValue: value("level")),
            theme: DataTheme(rawValue: value("theme")), access: DataAccess(rawValue: value("access")),
            text: String(value("q").prefix(200)), limit: Self.pageSize, offset: offset)
        let filter = QualityFilter(value("quality"))
        async let ministriesAndProvinces = service.units.list(UnitQuery(limit: 100)).items.filter {
            $0.kind == .ministry || $0.kind == .province
        }
        let listing = try await service.list(query, filter: filter)
        let owners = try await service.units.names(of: Set(listing.items.map(\.record.owner)))
        let items = listing.items.compactMap { record, assessed -> CatalogueListModel.Item? in
            guard let assessed else { return nil }
            let entry = assessed.entry
            return CatalogueListModel.Item(
                code: entry.code, name: entry.name(in: page.language), owner: entry.owner,
                ownerName: owners[entry.owner] ?? entry.owner, level: entry.level.name(in: page.language),
                access: entry.access.name(in: page.language), frequency: entry.frequency.name(in: page.language),
                lastUpdate: entry.lastUpdate?.description ?? page.t("catalogue_never"),
                qualities: QualityRow.rows(assessed.qualities, page), databaseClass: assessed.databaseClass.rawValue,
                points: page.number(assessed.score.points), rating: assessed.score.rating.name(in: page.language),
                illustrative: entry.illustrative)
        }
        let unitChoices = try await ministriesAndProvinces
        func choices(_ all: [(String, String)], _ chosen: String) -> [TaskChoice] {
            [TaskChoice(value: "", label: page.t("catalogue_any"), selected: chosen.isEmpty)]
                + all.map { TaskChoice(value: $0.0, label: $0.1, selected: $0.0 == chosen) }
        }
        let qualityChoices =
            ["living", "sufficient", "clean", "correct"].flatMap { name in
                QualityFinding.State.allCases.map {
                    (
                        "\(name):\($0.rawValue)",
                        "\(page.t("catalogue_quality_\(name)")): \(page.t("catalogue_state_\($0.rawValue)"))"
                    )
                }
            } + DatabaseClass.allCases.map { ("class:\($0.rawValue)", page.t("catalogue_class") + " " + $0.rawValue) }
        var link = URLComponents()
        link.path = "/catalogue"
        let kept = ["q", "unit", "level", "theme", "access", "quality"].compactMap { name in
            value(name).isEmpty ? nil : URLQueryItem(name: name, value: value(name))
        }
        func href(_ at: Int) -> String {
            link.queryItems = kept + [URLQueryItem(name: "offset", value: String(at))]
            return link.string ?? "/catalogue"
        }
        let model = CatalogueListModel(
            q: value("q"),
            units: choices(unitChoices.map { ($0.code, $0.name) }, value("unit")),
            levels: choices(DatabaseLevel.allCases.map { ($0.rawValue, $0.name(in: page.language)) }, value("level")),
            themes: choices(DataTheme.allCases.map { ($0.rawValue, $0.name(in: page.language)) }, value("theme")),
            accesses: choices(DataAccess.allCases.map { ($0.rawValue, $0.name(in: page.language)) }, value("access")),
            qualities: choices(qualityChoices, filter == nil ? "" : value("quality")), items: items,
            hasItems: !items.isEmpty,
            summary: page.t(
                listing.totalIsLowerBound ? "catalogue_summary_atLeast" : "catalogue_summary",
                [
                    "from": page.number(listing.total == 0 ? 0 : offset + 1),
                    "to": page.number(offset + items.count), "total": page.number(listing.total),
                ]),
            previous: offset > 0 ? href(max(0, offset - Self.pageSize)) : nil,
            next: offset + Self.pageSize < listing.total ? href(offset + Self.pageSize) : nil,
            canDeclare: Authorizer.maySomewhere(page.identity?.principal ?? .anonymous, .editCatalogue),
            exportJSONLD: "/open-data/catalogue.jsonld", exportTurtle: "/open-data/catalogue.ttl")
        return try page.page(.catalogue, title: page.t("catalogue_title"), model: model).depending(on: [.catalogue])
    }

    @Sendable func entry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let code = try context.parameters.require("code")
        let record = try await service.existing(code)
        let principal = page.identity?.principal ?? .anonymous
        let readsDraft = try await service.readsDrafts(principal, of: record.owner)
        guard let shown = record.published ?? (readsDraft ? record.draft : nil) else {
            throw AppError.notFound("no database has code \"\(code)\"")
        }
        let assessed = AssessedDatabase(shown, record.evidence, today: service.clock.todayInHanoi())
        let owner = try await service.units.names(of: [shown.owner])[shown.owner] ?? shown.owner
        let language = page.language
        var facts: [CatalogueEntryModel.Fact] = [
            .init(label: page.t("catalogue_owner"), value: owner, href: "/units/\(shown.owner)"),
            .init(label: page.t("catalogue_level"), value: shown.level.name(in: language), href: nil),
            .init(
                label: page.t("catalogue_legalBasis"),
                value: shown.legalBasis.document.isEmpty ? "—" : shown.legalBasis.document,
                href: shown.legalBasis.link.isEmpty ? nil : shown.legalBasis.link),
            .init(
                label: page.t("catalogue_themes"),
                value: shown.themes.map { $0.name(in: language) }.joined(separator: "; "), href: nil),
            .init(
                label: page.t("catalogue_records"),
                value: shown.recordCount.map {
                    page.t(
                        "catalogue_recordsOn",
                        ["count": page.number($0), "date": shown.recordCountDate?.description ?? "—"])
                } ?? "—", href: nil),
            .init(label: page.t("catalogue_frequency"), value: shown.frequency.name(in: language), href: nil),
            .init(
                label: page.t("catalogue_lastUpdate"),
                value: shown.lastUpdate?.description ?? page.t("catalogue_never"),
                href: nil),
            .init(
                label: page.t("catalogue_connected"),
                value: shown.connectedSince.map { page.t("catalogue_connectedSince", ["date": $0.description]) }
                    ?? page.t("catalogue_notConnected"), href: nil),
            .init(
                label: page.t("catalogue_access"),
                value: shown.access.name(in: language) + (shown.accessBasis.isEmpty ? "" : " — " + shown.accessBasis),
                href: nil),
        ]
        if let expected = record.expectedRecords {
            facts.append(.init(label: page.t("catalogue_expected"), value: page.number(expected), href: nil))
        }
        if !shown.contactEmail.isEmpty {
            facts.append(
                .init(
                    label: page.t("catalogue_contact"), value: shown.contactEmail, href: "mailto:\(shown.contactEmail)")
            )
        }
        let versions = try await service.catalogue.history(code: code)
        let canEdit = try await service.access.may(principal, .editCatalogue, on: record.owner)
        let mayApprove = try await service.access.may(principal, .approveCatalogue, on: record.owner)
        let notice = request.uri.queryParameters["done"].map(String.init).flatMap {
            ["saved", "approved", "audited", "expected"].contains($0) ? page.t("catalogue_done_\($0)") : nil
        }
        let model = CatalogueEntryModel(
            code: shown.code, name: shown.name(in: language), otherName: shown.name(in: language.other),
            description: shown.description(in: language), published: record.published != nil,
            facts: facts, qualities: QualityRow.rows(assessed.qualities, page),
            databaseClass: record.published == nil ? nil : assessed.databaseClass.rawValue,
            points: assessed.score.points, rating: assessed.score.rating.name(in: language),
            scores: MetadataScore.Dimension.allCases.map { dimension in
                CatalogueEntryModel.ScoreRow(
                    dimension: page.t("catalogue_dimension_\(dimension.rawValue)"),
                    points: assessed.score.points(of: dimension),
                    maximum: assessed.score.items.filter { $0.dimension == dimension }.reduce(0) { $0 + $1.maximum })
            },
            distributions: shown.distributions.map {
                .init(
                    accessURL: $0.accessURL, downloadURL: $0.downloadURL.isEmpty ? nil : $0.downloadURL,
                    format: $0.format?.rawValue ?? "—", licence: $0.licence.isEmpty ? nil : $0.licence)
            },
            hasDistributions: !shown.distributions.isEmpty,
            versions: versions.map {
                .init(version: $0.version, publishedAt: HanoiTime.text($0.publishedAt, language))
            },
            hasVersions: !versions.isEmpty, illustrative: shown.illustrative,
            draftAt: readsDraft ? record.draftAt.map { HanoiTime.text($0, language) } : nil,
            canEdit: canEdit, canApprove: record.draft != nil && mayApprove,
            canAudit: try await service.access.may(principal, .auditCatalogue, on: record.owner),
            notice: notice)
        let response = try page.page(.catalogueEntry, title: shown.name(in: language), model: model)
        return readsDraft ? response : response.depending(on: [.catalogue])
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        _ = try await service.approve(code: code, authenticated.caller)
        return Response(status: .seeOther, headers: [.location: "/catalogue/\(code.formEncoded)?done=approved"])
    }
}
