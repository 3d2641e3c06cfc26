import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The form a unit's reporter declares or edits a database with: each field named by its path in
/// the draft (`distributions[0].accessURL`), so that every problem stands beside its field, in
/// the reader's language, with what was typed kept.
extension CataloguePages {
    static let distributionsOnForm = 2

    /// The text fields of the form, in order, with whether each is several lines.
    static var textFields: [(name: String, multiline: Bool)] {
        var fields: [(String, Bool)] = [
            ("owner", false), ("nameVi", false), ("nameEn", false), ("descriptionVi", true), ("descriptionEn", true),
            ("legalBasis.document", false), ("legalBasis.link", false), ("keywords", false), ("recordCount", false),
            ("recordCountDate", false), ("lastUpdate", false), ("connectedSince", false), ("accessBasis", false),
            ("contactEmail", false),
        ]
        for index in 0..<distributionsOnForm {
            for part in ["accessURL", "downloadURL", "mediaType", "licence"] {
                fields.append(("distributions[\(index)].\(part)", false))
            }
        }
        return fields
    }

    /// What a draft shows in each field of the form.
    static func entered(_ draft: CatalogueDraft, _ language: Language) -> [String: String] {
        var values: [String: String] = [
            "code": draft.code ?? "", "owner": draft.owner ?? "", "level": draft.level ?? "",
            "nameVi": draft.nameVi ?? "", "nameEn": draft.nameEn ?? "", "descriptionVi": draft.descriptionVi ?? "",
            "descriptionEn": draft.descriptionEn ?? "", "legalBasis.document": draft.legalBasis?.document ?? "",
            "legalBasis.link": draft.legalBasis?.link ?? "", "keywords": (draft.keywords ?? []).joined(separator: ", "),
            "recordCount": draft.recordCount.map { $0.formatted(language) } ?? "",
            "recordCountDate": draft.recordCountDate ?? "", "frequency": draft.frequency ?? "",
            "lastUpdate": draft.lastUpdate ?? "", "connectedSince": draft.connectedSince ?? "",
            "access": draft.access ?? "", "accessBasis": draft.accessBasis ?? "",
            "contactEmail": draft.contactEmail ?? "",
        ]
        for theme in draft.themes ?? [] { values["theme_\(theme)"] = "on" }
        for (index, distribution) in (draft.distributions ?? []).prefix(distributionsOnForm).enumerated() {
            let prefix = "distributions[\(index)]."
            values[prefix + "accessURL"] = distribution.accessURL ?? ""
            values[prefix + "downloadURL"] = distribution.downloadURL ?? ""
            values[prefix + "format"] = distribution.format ?? ""
            values[prefix + "mediaType"] = distribution.mediaType ?? ""
            values[prefix + "licence"] = distribution.licence ?? ""
        }
        return values
    }

    /// The draft the form's fields make; a record count that is not a whole number is a problem
    /// of its own.
    static func draft(_ values: [String: String], code: String?, _ language: Language) -> (CatalogueDraft, [RowError]) {
        var draft = CatalogueDraft()
        var problems: [RowError] = []
        let value = { (name: String) -> String? in
            let text = values[name] ?? ""
            return text.isEmpty ? nil : text
        }
        draft.code = code ?? value("code")
        draft.owner = value("owner")
        draft.level = value("level")
        draft.nameVi = value("nameVi")
        draft.nameEn = value("nameEn")
        draft.descriptionVi = value("descriptionVi")
        draft.descriptionEn = value("descriptionEn")
        draft.legalBasis = .init(document: value("legalBasis.document"), link: value("legalBasis.link"))
        draft.themes = DataTheme.allCases.map(\.rawValue).filter { values["theme_\($0)"] != nil }
        draft.keywords = value("keywords")?.split(separator: ",").map { String($0) }
        do {
            draft.recordCount = try wholeNumber("recordCount", values["recordCount"] ?? "", language)
        } catch {
            problems += error.errors
        }
        draft.recordCountDate = value("recordCountDate")
        draft.frequency = value("frequency")
        draft.lastUpdate = value("lastUpdate")
        draft.connectedSince = value("connectedSince")
        draft.access = value("access")
        draft.accessBasis = value("accessBasis")
        draft.contactEmail = value("contactEmail")
        draft.distributions = (0..<distributionsOnForm).compactMap { index in
            let prefix = "distributions[\(index)]."
            let parts = ["accessURL", "downloadURL", "format", "mediaType", "licence"].map { value(prefix + $0) }
            guard parts.contains(where: { $0 != nil }) else { return nil }
            return .init(
                accessURL: parts[0], downloadURL: parts[1], format: parts[2], mediaType: parts[3], licence: parts[4])
        }
        return (draft, problems)
    }

    @Sendable func newEntry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        guard Authorizer.maySomewhere(authenticated.caller.principal, .editCatalogue) else {
            throw AppError.forbidden("only a unit's reporters and head may \(Action.editCatalogue.phrase)")
        }
        var draft = CatalogueDraft()
        draft.owner = authenticated.caller.principal.membership?.unit
        draft.level = "local"
        draft.frequency = "ANNUAL"
        draft.access = "shared"
        return try form(
            request, context, code: nil, entered: Self.entered(draft, context.language), problems: [], status: .ok)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        guard let record = try await service.catalogue.record(code: code),
            let current = record.draft ?? record.published
        else { throw AppError.notFound("no database has code \"\(code)\"") }
        try await service.access.require(
            .editCatalogue, on: record.owner, authenticated.caller, target: "catalogue:\(code)")
        return try form(
            request, context, code: code, entered: Self.entered(CatalogueDraft(current), context.language),
            problems: [],
            status: .ok)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context, code: nil)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context, code: try context.parameters.require("code"))
    }

    func save(_ request: Request, _ context: AppRequestContext, code: String?) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var entered: [String: String] = [:]
        let names =
            ["code", "level", "frequency", "access"] + Self.textFields.map(\.name)
            + DataTheme.allCases.map { "theme_\($0.rawValue)" }
            + (0..<Self.distributionsOnForm).map { "distributions[\($0)].format" }
        for name in names { if let value = fields[name] { entered[name] = value } }
        let (draft, numberProblems) = Self.draft(entered, code: code, context.language)
        do {
            if !numberProblems.isEmpty { throw ValidationFailure(numberProblems) }
            let record = try await service.save(draft, code: code, authenticated.caller)
            return Response(
                status: .seeOther, headers: [.location: "/catalogue/\(record.code.formEncoded)?done=saved"])
        } catch let failure as ValidationFailure {
            return try form(
                request, context, code: code, entered: entered, problems: failure.errors, status: .unprocessableContent)
        } catch let conflict as StateConflict {
            let problem = RowError(
                line: nil, column: conflict.field, en: conflict.reason,
                vi: conflict.field == "owner"
                    ? "cơ sở dữ liệu này thuộc đơn vị khác" : "đã có cơ sở dữ liệu mã \(draft.code ?? "")")
            return try form(request, context, code: code, entered: entered, problems: [problem], status: .conflict)
        }
    }

    func form(
        _ request: Request, _ context: AppRequestContext, code: String?, entered: [String: String],
        problems: [RowError], status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        let fieldNames = Set(Self.textFields.map(\.name) + ["code", "level", "frequency", "access", "themes"])
            .union((0..<Self.distributionsOnForm).map { "distributions[\($0)].format" })
        // Each theme's problem (`themes[2]`) stands beside the themes.
        let (byField, unplaced) = Self.placed(
            problems.map { problem in
                var problem = problem
                if problem.column?.hasPrefix("themes[") == true { problem.column = "themes" }
                return problem
            }, on: fieldNames, page)
        let label = { (name: String) in page.t("catalogue_field_" + Self.labelKey(name)) }
        var fields: [CatalogueFormModel.Field] = []
        if code == nil {
            fields.append(
                .init(
                    name: "code", label: label("code"), value: entered["code"] ?? "", problem: byField["code"],
                    multiline: false, hint: page.t("catalogue_hint_code")))
        }
        for (name, multiline) in Self.textFields {
            fields.append(
                .init(
                    name: name, label: Self.distributionIndex(name).map { label(name) + " (\($0 + 1))" } ?? label(name),
                    value: entered[name] ?? "", problem: byField[name], multiline: multiline,
                    hint: name.hasSuffix("Date") || name == "lastUpdate" || name == "connectedSince"
                        ? page.t("catalogue_hint_date") : nil))
        }
        func select(_ name: String, _ options: [(String, String)]) -> CatalogueFormModel.Select {
            .init(
                name: name,
                label: Self.distributionIndex(name).map { label(name) + " (\($0 + 1))" } ?? label(name),
                options: [TaskChoice(value: "", label: "—", selected: (entered[name] ?? "").isEmpty)]
                    + options.map { TaskChoice(value: $0.0, label: $0.1, selected: entered[name] == $0.0) },
                problem: byField[name])
        }
        var selects = [
            select("level", DatabaseLevel.allCases.map { ($0.rawValue, $0.name(in: page.language)) }),
            select("frequency", UpdateFrequency.allCases.map { ($0.rawValue, $0.name(in: page.language)) }),
            select("access", DataAccess.allCases.map { ($0.rawValue, $0.name(in: page.language)) }),
        ]
        for index in 0..<Self.distributionsOnForm {
            selects.append(
                select("distributions[\(index)].format", FileFormat.allCases.map { ($0.rawValue, $0.rawValue) }))
        }
        let model = CatalogueFormModel(
            action: code.map { "/catalogue/\($0.formEncoded)/edit" } ?? "/catalogue/new", isNew: code == nil,
            code: code ?? "", problems: unplaced, hasProblems: !problems.isEmpty, fields: fields, selects: selects,
            themes: DataTheme.allCases.map {
                TaskChoice(
                    value: "theme_\($0.rawValue)", label: $0.name(in: page.language),
                    selected: entered["theme_\($0.rawValue)"] != nil)
            }, themesProblem: byField["themes"])
        return try page.page(
            .catalogueForm, title: page.t(code == nil ? "catalogue_newTitle" : "catalogue_editTitle"), model: model,
            status: status)
    }

    /// `distributions[1].accessURL` is labelled as `distributions.accessURL`.
    static func labelKey(_ name: String) -> String {
        name.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: ".", with: "_")
    }

    static func distributionIndex(_ name: String) -> Int? {
        guard name.hasPrefix("distributions["), let close = name.firstIndex(of: "]") else { return nil }
        return Int(name[name.index(name.startIndex, offsetBy: 14)..<close])
    }
}
