import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore
import Mustache

/// `/open-data`: the datasets, their dictionary and licence, and every published ranking with
/// what recomputes it; `/open-data/NAME.csv|json`: the files.
struct OpenDataPages {
    let store: Store
    let service: TaskService
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/open-data", use: index)
        router.get("/open-data/{file}", use: file)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let datasets = OpenData.datasets.map { dataset in
            let key = "openData_\(dataset.name.replacingOccurrences(of: "-", with: "_"))"
            return OpenDataModel.Dataset(
                name: dataset.name, title: page.t(key), csv: "/open-data/\(dataset.name).csv",
                json: "/open-data/\(dataset.name).json",
                columns: dataset.columns.map {
                    .init(name: $0.name, type: $0.type, meaning: page.t("\(key)__\($0.name)"))
                })
        }
        let reproductions = try await OpenData.reproductions(store).map { ranking, reproduction in
            OpenDataModel.Reproduction(ranking, reproduction, page.language)
        }
        return try page.page(
            .openData, title: page.t("openData_title"),
            model: OpenDataModel(datasets: datasets, licence: OpenData.licenceURL, reproductions: reproductions)
        ).depending(on: [.rankings])
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let dataset = OpenData.datasets.first(where: { $0.name == parts[0] }),
            ["csv", "json"].contains(parts[1])
        else { throw AppError.notFound("no open dataset \"\(file)\"; see /open-data") }
        let rows = try await dataset.rows(
            OpenData.Source(store: store, views: service.views, today: service.clock.today()))
        var headers = HTTPFields()
        headers[.cacheControl] = "no-cache"
        headers[.edgeKeep] = "1"
        headers[.contentDisposition] = "inline; filename=\"mandate-\(file)\""
        headers[HTTPField.Name("Link")!] = "<\(OpenData.licenceURL)>; rel=\"license\""
        headers[.edgeReads] = dataset.reads.description
        if parts[1] == "csv" {
            headers[.contentType] = "text/csv; charset=utf-8; header=present"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: dataset.csv(rows))))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try dataset.json(rows))))
    }
}

/// The open-data page: the datasets with their dictionaries, and the rankings to recompute.
struct OpenDataModel: PageModel {
    struct Column: Sendable {
        let name: String
        let type: String
        let meaning: String
    }

    struct Dataset: Sendable {
        let name: String
        let title: String
        let csv: String
        let json: String
        let columns: [Column]
    }

    /// A published ranking (one version), with its three files and the command that recomputes it.
    struct Reproduction: Sendable {
        let name: String
        let methodId: String
        let period: String
        let version: Int
        let id: String
        let previousPeriod: String?
        let digest: String
        let href: String
        let methodHref: String
        let methodFile: String
        let inputsHref: String
        let inputsFile: String
        let unitsHref: String
        let unitsFile: String
        let command: String

        init(_ ranking: PublishedRanking, _ reproduction: RankingReproduction, _ language: Language) {
            name = language == .vi ? ranking.method.nameVi : ranking.method.nameEn
            methodId = reproduction.methodId
            period = reproduction.period
            version = reproduction.version
            id = "recompute-\(reproduction.methodId)-\(reproduction.period)-v\(reproduction.version)"
            previousPeriod = reproduction.previousPeriod
            digest = reproduction.inputDigest
            href = "/rankings/\(reproduction.methodId)/\(reproduction.period)?version=\(reproduction.version)"
            methodHref = reproduction.method.path
            methodFile = reproduction.method.name
            inputsHref = reproduction.inputs.path
            inputsFile = reproduction.inputs.name
            unitsHref = reproduction.units.path
            unitsFile = reproduction.units.name
            command = reproduction.command
        }
    }

    let datasets: [Dataset]
    let licence: String
    let reproductions: [Reproduction]
}

/// The open-data page's lists give their fields by name, without `Mirror`: a section reflects its
/// item for every name its template reads, the page's labels (`t.…`) included, and that was most
/// of the page's time.
extension OpenDataModel.Column: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "type": type
        case "meaning": meaning
        default: nil
        }
    }
}

extension OpenDataModel.Dataset: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "title": title
        case "csv": csv
        case "json": json
        case "columns": columns
        default: nil
        }
    }
}

extension OpenDataModel.Reproduction: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "methodId": methodId
        case "period": period
        case "version": version
        case "id": id
        case "previousPeriod": previousPeriod
        case "digest": digest
        case "href": href
        case "methodHref": methodHref
        case "methodFile": methodFile
        case "inputsHref": inputsHref
        case "inputsFile": inputsFile
        case "unitsHref": unitsHref
        case "unitsFile": unitsFile
        case "command": command
        default: nil
        }
    }
}
