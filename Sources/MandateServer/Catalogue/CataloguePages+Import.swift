import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The import page: a file of databases imported by a unit's reporters (checked first, all or
/// nothing), through `CatalogueService.importEntries`, the API's path.
extension CataloguePages {
    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        guard Authorizer.maySomewhere(authenticated.caller.principal, .editCatalogue) else {
            throw AppError.forbidden("only a unit's reporters and head may \(Action.editCatalogue.phrase)")
        }
        let saved = request.uri.queryParameters["saved"].flatMap { Int(String($0)) }
        return try importPage(request, context, dryRun: true, outcome: nil, saved: saved, status: .ok)
    }

    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        guard let boundary = MultipartForm.boundary(of: request.headers[.contentType]) else {
            throw AppError.badRequest(field: "file", "send the file as multipart/form-data")
        }
        var dryRun = true
        let outcome: Result<[CatalogueEntry], ValidationFailure>
        do {
            let entries = try await service.imports.run {
                let body = try await request.collectBody(upTo: CatalogueService.maximumImportSize)
                let form = MultipartForm(body: body, boundary: boundary)
                dryRun = form?["dryRun"] == "yes"
                guard let file = form?.files.first(where: { $0.name == "file" }), !file.content.isEmpty else {
                    throw ValidationFailure([
                        RowError(
                            line: nil, column: "file", en: "choose a CSV or JSON file",
                            vi: "hãy chọn một tệp CSV hoặc JSON")
                    ])
                }
                let bytes = [UInt8](file.content)
                if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "[")
                {
                    guard let drafts = try? JSONDecoder().decode([CatalogueDraft].self, from: Data(bytes)) else {
                        throw ValidationFailure([
                            RowError(
                                line: nil, column: "file", en: "the JSON file is not an array of databases",
                                vi: "tệp JSON không phải là một mảng các cơ sở dữ liệu")
                        ])
                    }
                    return try await service.importEntries(
                        csv: nil, json: drafts, dryRun: dryRun, authenticated.caller)
                }
                return try await service.importEntries(
                    csv: try CSVReader.text(bytes), json: nil, dryRun: dryRun, authenticated.caller)
            }
            if !dryRun {
                return Response(status: .seeOther, headers: [.location: "/catalogue/import?saved=\(entries.count)"])
            }
            outcome = .success(entries)
        } catch let failure as ValidationFailure {
            outcome = .failure(failure)
        }
        let status: HTTPResponse.Status = {
            if case .failure = outcome { .unprocessableContent } else { .ok }
        }()
        return try importPage(request, context, dryRun: dryRun, outcome: outcome, saved: nil, status: status)
    }

    func importPage(
        _ request: Request, _ context: AppRequestContext, dryRun: Bool,
        outcome: Result<[CatalogueEntry], ValidationFailure>?, saved: Int?, status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        var problems: [String] = []
        var refused = 0
        var rows: [CatalogueImportModel.Row] = []
        var summary = saved.map { page.t("catalogueImport_saved", ["count": page.number($0)]) }
        switch outcome {
        case .failure(let failure):
            refused = failure.errors.count
            problems = failure.errors.prefix(CatalogueImportModel.shown).map { $0.description(in: page.language) }
        case .success(let entries):
            summary = page.t("catalogueImport_wouldSave", ["count": page.number(entries.count)])
            rows = entries.prefix(CatalogueImportModel.shown).map {
                .init(code: $0.code, name: $0.name(in: page.language), owner: $0.owner)
            }
        case nil: break
        }
        let shownRows = rows.count
        let total = { if case .success(let entries) = outcome { entries.count } else { 0 } }()
        let model = CatalogueImportModel(
            dryRun: dryRun, summary: summary, problems: problems, hasProblems: !problems.isEmpty,
            problemCount: refused > 0 ? page.t("workPlan_problemCount", ["count": "\(refused)"]) : nil,
            rows: rows, hasRows: !rows.isEmpty,
            moreRows: total > shownRows ? page.t("workPlan_moreRows", ["count": "\(total - shownRows)"]) : nil)
        return try page.page(.catalogueImport, title: page.t("catalogueImport_title"), model: model, status: status)
    }
}

struct CatalogueImportModel: PageModel {
    struct Row: Sendable {
        let code: String
        let name: String
        let owner: String
    }

    /// The most rows or problems the page lists.
    static let shown = 200

    let dryRun: Bool
    let summary: String?
    let problems: [String]
    let hasProblems: Bool
    let problemCount: String?
    let rows: [Row]
    let hasRows: Bool
    let moreRows: String?
}
