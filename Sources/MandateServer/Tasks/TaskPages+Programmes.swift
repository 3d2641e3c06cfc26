import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The programme pages: the list, one programme, and the committee's form to define or edit one
/// (`TaskService.createProgramme`, `updateProgramme`, `archiveProgramme`, the API's paths).
extension TaskPages {
    func registerProgrammes(on router: Router<AppRequestContext>) {
        router.get("/programmes", use: programmeList)
        router.get("/programmes/new", use: newProgramme)
        router.post("/programmes/new", use: createProgramme)
        router.get("/programmes/{code}", use: programmePage)
        router.get("/programmes/{code}/edit", use: editProgramme)
        router.post("/programmes/{code}/edit", use: updateProgramme)
        router.post("/programmes/{code}/archive", use: archiveProgramme)
    }

    func definesProgrammes(_ principal: Principal) async throws -> Bool {
        try await service.may(principal, .defineProgramme, on: try await service.committeeUnit())
    }

    static func basis(_ programme: Programme, _ page: PageRequest) -> String? {
        programme.legalBasis.map {
            page.t("programme_basisText", ["title": $0.title, "number": $0.number, "date": $0.date.description])
        }
    }

    static func years(_ programme: Programme) -> String? {
        guard let start = programme.startYear, let end = programme.endYear else { return nil }
        return start == end ? "\(start)" : "\(start)–\(end)"
    }

    @Sendable func programmeList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let items = try await tasks.programmes().map {
            ProgrammeListModel.Item(
                code: $0.code, name: $0.name(in: page.language), basis: Self.basis($0, page), years: Self.years($0),
                archived: $0.archivedAt != nil)
        }
        let model = ProgrammeListModel(
            items: items, canDefine: try await definesProgrammes(page.identity?.principal ?? .anonymous), notice: nil)
        return try page.page(.programmes, title: page.t("programmes_title"), model: model)
    }

    @Sendable func programmePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let programme = try await service.programme(try context.parameters.require("code"))
        let outline = try await service.views.outline(of: programme.code, today: service.clock.today())
        let code = programme.code.formEncoded
        let names: [String: String] =
            outline.indicators.isEmpty
            ? [:]
            : Dictionary(
                try await service.indicators.list().map { ($0.code, page.language == .vi ? $0.nameVi : $0.nameEn) },
                uniquingKeysWith: { first, _ in first })
        let done = request.uri.queryParameters["done"].map(String.init).flatMap {
            ["created", "saved", "archived", "restored"].contains($0) ? $0 : nil
        }
        let canDefine = try await definesProgrammes(page.identity?.principal ?? .anonymous)
        let rankingRows = try await rankingRows(outline, canEdit: canDefine, page)
        let model = ProgrammePageModel(
            code: programme.code, name: programme.name(in: page.language),
            otherName: programme.name(in: page.language.other), basis: Self.basis(programme, page),
            years: Self.years(programme), archived: programme.archivedAt != nil,
            orientations: programme.orientations.map {
                ProgrammePageModel.OrientationRow(
                    number: $0.number, title: $0.title(in: page.language), tasks: outline.tasks[$0.number] ?? 0,
                    href: "/tasks?programme=\(code)&orientation=\($0.number)")
            },
            taskCount: outline.tasks.values.reduce(0, +), tasksHref: "/tasks?programme=\(code)",
            indicators: outline.indicators.map { TaskUnitLink(code: $0, name: names[$0] ?? $0) },
            hasIndicators: !outline.indicators.isEmpty, rankings: rankingRows,
            hasRankings: !rankingRows.isEmpty, canDefine: canDefine,
            notice: done.map { page.t("programme_done_\($0)") })
        return try page.page(.programme, title: programme.name(in: page.language), model: model)
    }

    /// The ranking methods that measure the programme's work (`RankingMethod.measures`), each
    /// with its latest published ranking.
    func rankingRows(
        _ outline: ProgrammeOutline, canEdit: Bool, _ page: PageRequest
    ) async throws
        -> [ProgrammePageModel.RankingRow]
    {
        let indicators = Set(outline.indicators)
        let hasTasks = outline.tasks.values.contains { $0 > 0 }
        let methods = try await rankings.methods().filter {
            $0.measures(programmeIndicators: indicators, hasTasks: hasTasks)
        }
        guard !methods.isEmpty else { return [] }
        var latest: [String: PublicationSummary] = [:]
        for publication in try await rankings.publications()
        where publication.publishedAt > latest[publication.methodId]?.publishedAt ?? "" {
            latest[publication.methodId] = publication
        }
        return methods.map { method in
            let published = latest[method.id]
            return .init(
                name: page.language == .vi ? method.nameVi : method.nameEn,
                href: published.map { "/rankings/\($0.methodId)/\($0.period)?version=\($0.version)" },
                period: published?.period,
                editHref: canEdit ? "/rankings/methods/edit?method=\(method.id.formEncoded)" : nil)
        }
    }

    @Sendable func newProgramme(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        try await service.requireMayDefineProgrammes(authenticated.caller, target: "programme")
        let year = service.clock.today().year
        return try programmeForm(
            request, context, action: "/programmes/new", isNew: true,
            entered: ["startYear": "\(year)", "endYear": "\(year)"], problems: [], status: .ok)
    }

    @Sendable func editProgramme(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let programme = try await service.programme(try context.parameters.require("code"))
        try await service.requireMayDefineProgrammes(authenticated.caller, target: "programme:\(programme.code)")
        let entered: [String: String] = [
            "code": programme.code, "nameVi": programme.nameVi, "nameEn": programme.nameEn,
            "basisTitle": programme.legalBasis?.title ?? "", "basisNumber": programme.legalBasis?.number ?? "",
            "basisDate": programme.legalBasis?.date.description ?? "",
            "startYear": programme.startYear.map(String.init) ?? "",
            "endYear": programme.endYear.map(String.init) ?? "",
            "orientations": programme.orientations.map { "\($0.number) | \($0.titleVi) | \($0.titleEn)" }
                .joined(separator: "\n"),
        ]
        return try programmeForm(
            request, context, action: "/programmes/\(programme.code.formEncoded)/edit", isNew: false, entered: entered,
            problems: [], status: .ok)
    }

    @Sendable func createProgramme(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await saveProgramme(request, context, code: nil)
    }

    @Sendable func updateProgramme(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await saveProgramme(request, context, code: try context.parameters.require("code"))
    }

    @Sendable func archiveProgramme(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 16 * 1024))
        let archived = fields["archived"] == "yes"
        _ = try await service.archiveProgramme(code, archived: archived, authenticated.caller)
        return Response(
            status: .seeOther,
            headers: [.location: "/programmes/\(code.formEncoded)?done=\(archived ? "archived" : "restored")"])
    }

    static let programmeFields = [
        "code", "nameVi", "nameEn", "basisTitle", "basisNumber", "basisDate", "startYear", "endYear", "orientations",
    ]

    func saveProgramme(_ request: Request, _ context: AppRequestContext, code: String?) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        try await service.requireMayDefineProgrammes(authenticated.caller, target: "programme:\(code ?? "")")
        let fields = FormFields(body: try await request.collectBody(upTo: 256 * 1024))
        var entered: [String: String] = [:]
        for key in Self.programmeFields { entered[key] = (fields[key] ?? "").trimmingWhitespace() }
        if let code { entered["code"] = code }
        let action = code.map { "/programmes/\($0.formEncoded)/edit" } ?? "/programmes/new"
        do {
            let draft = try Self.programmeDraft(entered)
            let saved =
                if let code {
                    try await service.updateProgramme(code, draft, authenticated.caller)
                } else {
                    try await service.createProgramme(draft, authenticated.caller)
                }
            return Response(
                status: .seeOther,
                headers: [.location: "/programmes/\(saved.code.formEncoded)?done=\(code == nil ? "created" : "saved")"])
        } catch let failure as ValidationFailure {
            return try programmeForm(
                request, context, action: action, isNew: code == nil, entered: entered,
                problems: failure.errors.map { $0.description(in: context.language) }, status: .unprocessableContent)
        } catch let conflict as StateConflict {
            return try programmeForm(
                request, context, action: action, isNew: code == nil, entered: entered,
                problems: [
                    context.language == .vi
                        ? "code: đã có chương trình mã \(entered["code"] ?? "")" : conflict.description
                ], status: .conflict)
        }
    }

    /// The form's fields as a draft; the orientations are one a line, "number | Vietnamese title |
    /// English title" (the English title may be left out).
    static func programmeDraft(_ entered: [String: String]) throws(ValidationFailure) -> ProgrammeDraft {
        var errors: [RowError] = []
        var orientations: [Orientation] = []
        let lines = (entered["orientations"] ?? "").split(whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated() where !String(line).trimmingWhitespace().isEmpty {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
            guard parts.count >= 2, parts.count <= 3, let number = Int(parts[0]) else {
                errors.append(
                    RowError(
                        line: nil, column: "orientations",
                        en: "line \(index + 1): write \"number | Vietnamese title | English title\"",
                        vi: "dòng \(index + 1): hãy viết \"số | tên tiếng Việt | tên tiếng Anh\""))
                continue
            }
            orientations.append(
                Orientation(number: number, titleVi: parts[1], titleEn: parts.count > 2 ? parts[2] : ""))
        }
        func year(_ key: String) -> Int {
            guard let year = Int(entered[key] ?? "") else {
                errors.append(RowError(line: nil, column: key, en: "a year is a number", vi: "năm phải là số"))
                return 0
            }
            return year
        }
        let draft = ProgrammeDraft(
            code: entered["code"] ?? "", nameVi: entered["nameVi"] ?? "", nameEn: entered["nameEn"] ?? "",
            legalBasis: .init(
                title: entered["basisTitle"] ?? "", number: entered["basisNumber"] ?? "",
                date: entered["basisDate"] ?? ""), startYear: year("startYear"), endYear: year("endYear"),
            orientations: orientations)
        // The form's own problems are shown with the draft's, all at once.
        if !errors.isEmpty {
            do { _ = try draft.programme() } catch { errors += error.errors }
            throw ValidationFailure(errors)
        }
        return draft
    }

    func programmeForm(
        _ request: Request, _ context: AppRequestContext, action: String, isNew: Bool, entered: [String: String],
        problems: [String], status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        func field(_ key: String) -> String { entered[key] ?? "" }
        let model = ProgrammeFormModel(
            action: action, isNew: isNew, problems: problems, hasProblems: !problems.isEmpty, code: field("code"),
            nameVi: field("nameVi"), nameEn: field("nameEn"), basisTitle: field("basisTitle"),
            basisNumber: field("basisNumber"), basisDate: field("basisDate"), startYear: field("startYear"),
            endYear: field("endYear"), orientations: field("orientations"))
        return try page.page(
            .programmeForm, title: page.t(isNew ? "programme_newTitle" : "programme_editTitle"), model: model,
            status: status)
    }
}
