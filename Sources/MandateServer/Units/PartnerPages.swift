import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `partner-form`: a partner unit added or edited, with what was typed and every problem.
struct PartnerFormModel: PageModel {
    let action: String
    let isNew: Bool
    let problems: [String]
    let hasProblems: Bool
    let code: String
    let name: String
    let shortName: String
    let nameEn: String
    let types: [TaskChoice]
}

/// The administrators' partner form (`PartnerService`, the API's path): `/partners/new` and
/// `/partners/{code}/edit`; a saved partner opens on its unit page.
extension DirectoryPages {
    func registerPartners(on router: Router<AppRequestContext>) {
        router.get("/partners/new", use: newPartner)
        router.post("/partners/new", use: createPartner)
        router.get("/partners/{code}/edit", use: editPartner)
        router.post("/partners/{code}/edit", use: updatePartner)
    }

    @Sendable func newPartner(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        try await partners.requireMayManage(authenticated.caller, target: "unit")
        return try partnerForm(request, context, code: nil, entered: ["type": "enterprise"], problems: [], status: .ok)
    }

    @Sendable func editPartner(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        try await partners.requireMayManage(authenticated.caller, target: "unit:\(code)")
        guard let unit = try await units.get(code: code), unit.kind == .partner else {
            throw AppError.notFound("no partner has code \"\(code)\"")
        }
        let entered = [
            "code": unit.code, "name": unit.name, "shortName": unit.shortName == unit.name ? "" : unit.shortName,
            "nameEn": unit.nameEn ?? "", "type": PartnerType(unitType: unit.type)?.rawValue ?? "",
        ]
        return try partnerForm(request, context, code: code, entered: entered, problems: [], status: .ok)
    }

    @Sendable func createPartner(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await savePartner(request, context, code: nil)
    }

    @Sendable func updatePartner(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await savePartner(request, context, code: try context.parameters.require("code"))
    }

    func savePartner(_ request: Request, _ context: AppRequestContext, code: String?) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        try await partners.requireMayManage(authenticated.caller, target: "unit:\(code ?? "")")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var entered: [String: String] = [:]
        for key in ["code", "name", "shortName", "nameEn", "type"] {
            entered[key] = (fields[key] ?? "").trimmingWhitespace()
        }
        if let code { entered["code"] = code }
        do {
            guard let type = PartnerType(rawValue: entered["type"] ?? "") else {
                throw ValidationFailure([
                    RowError(line: nil, column: "type", en: "choose the kind of partner", vi: "hãy chọn loại đối tác")
                ])
            }
            let draft = PartnerDraft(
                code: entered["code"] ?? "", name: entered["name"] ?? "", shortName: entered["shortName"],
                nameEn: entered["nameEn"], type: type)
            let unit = try await partners.save(draft, code: code, authenticated.caller)
            return Response(status: .seeOther, headers: [.location: "/units/\(unit.code)"])
        } catch let failure as ValidationFailure {
            return try partnerForm(
                request, context, code: code, entered: entered,
                problems: failure.errors.map { $0.description(in: context.language) }, status: .unprocessableContent)
        } catch let conflict as StateConflict {
            let problem =
                context.language == .vi ? "code: đã có đơn vị mã \(entered["code"] ?? "")" : conflict.description
            return try partnerForm(
                request, context, code: code, entered: entered, problems: [problem], status: .conflict)
        }
    }

    func partnerForm(
        _ request: Request, _ context: AppRequestContext, code: String?, entered: [String: String],
        problems: [String], status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        let model = PartnerFormModel(
            action: code.map { "/partners/\($0)/edit" } ?? "/partners/new", isNew: code == nil, problems: problems,
            hasProblems: !problems.isEmpty, code: entered["code"] ?? "", name: entered["name"] ?? "",
            shortName: entered["shortName"] ?? "", nameEn: entered["nameEn"] ?? "",
            types: PartnerType.allCases.map {
                TaskChoice(
                    value: $0.rawValue, label: page.t("partnerType_\($0.rawValue)"),
                    selected: $0.rawValue == entered["type"])
            })
        return try page.page(
            .partnerForm, title: page.t(code == nil ? "partner_newTitle" : "partner_editTitle"), model: model,
            status: status)
    }
}
