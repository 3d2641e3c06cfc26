import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The pages the API's committee and import paths lacked: a file of databases imported by a
/// unit's reporters (checked first, all or nothing), a database's audit and expected record count
/// recorded by a committee analyst, and the databases expected of each unit and by when. Each
/// goes through `CatalogueService`, as the API does.
extension CataloguePages {
    // MARK: Import

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

    // MARK: Audit and expected count

    static let auditFields = ["auditedOn", "sampled", "wrong", "findings", "evidence"]

    @Sendable func auditPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let record = try await auditable(try context.parameters.require("code"), authenticated.caller)
        let entered = ["auditedOn": service.clock.todayInHanoi().description]
        return try auditPage(
            request, context, record, entered: entered, expected: record.expectedRecords.map { "\($0)" } ?? "",
            problems: [], status: .ok)
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        let record = try await auditable(code, authenticated.caller)
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var entered: [String: String] = [:]
        for name in Self.auditFields + ["passed", "expected"] { if let value = fields[name] { entered[name] = value } }
        let expected = entered["expected"] ?? record.expectedRecords.map { "\($0)" } ?? ""
        do {
            if fields["form"] == "expected" {
                let count = try Self.wholeNumber("expected", entered["expected"] ?? "", context.language)
                _ = try await service.expect(count, code: code, authenticated.caller)
                return Response(status: .seeOther, headers: [.location: "/catalogue/\(code.formEncoded)?done=expected"])
            }
            var problems: [RowError] = []
            var numbers: [String: Int] = [:]
            for name in ["sampled", "wrong"] {
                do {
                    numbers[name] = try Self.wholeNumber(name, entered[name] ?? "", context.language)
                } catch {
                    problems += error.errors
                }
            }
            let draft = AuditDraft(
                auditedOn: entered["auditedOn"], sampled: numbers["sampled"], wrong: numbers["wrong"],
                passed: entered["passed"].flatMap { ["yes": true, "no": false][$0] }, findings: entered["findings"],
                evidence: entered["evidence"])
            do {
                _ = try draft.audit(today: service.clock.todayInHanoi())
            } catch {
                // A number that did not read is named once, not again as missing.
                problems += error.errors.filter { problem in !problems.contains { $0.column == problem.column } }
            }
            if !problems.isEmpty { throw ValidationFailure(problems) }
            _ = try await service.recordAudit(draft, code: code, authenticated.caller)
            return Response(status: .seeOther, headers: [.location: "/catalogue/\(code.formEncoded)?done=audited"])
        } catch let failure as ValidationFailure {
            return try auditPage(
                request, context, record, entered: entered, expected: expected, problems: failure.errors,
                status: .unprocessableContent)
        }
    }

    /// A number typed as the reader's language writes it (`1.200` in Vietnamese), whole; nil when
    /// nothing was typed.
    static func wholeNumber(_ field: String, _ text: String, _ language: Language) throws(ValidationFailure) -> Int? {
        let typed = text.trimmingWhitespace()
        guard !typed.isEmpty else { return nil }
        switch WrittenNumber.read(typed, language) {
        case .success(let number) where number == number.rounded() && abs(number) < 1e16:
            return Int(number)
        case .success:
            throw ValidationFailure([RowError(line: nil, column: field, en: "a whole number", vi: "một số nguyên")])
        case .failure(let problem):
            let reason = WrittenNumber.reason(problem, typed: typed)
            throw ValidationFailure([RowError(line: nil, column: field, en: reason.english, vi: reason.vietnamese)])
        }
    }

    /// The database `code`, when `caller` may audit it.
    func auditable(_ code: String, _ caller: ServiceCaller) async throws -> CatalogueRecord {
        let record = try await service.existing(code)
        try await service.access.require(.auditCatalogue, on: record.owner, caller, target: "catalogue:\(code)")
        return record
    }

    func auditPage(
        _ request: Request, _ context: AppRequestContext, _ record: CatalogueRecord, entered: [String: String],
        expected: String, problems: [RowError], status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        let (byField, unplaced) = Self.placed(problems, on: Set(Self.auditFields + ["passed", "expected"]), page)
        let fields = Self.auditFields.map { name in
            CatalogueFormModel.Field(
                name: name, label: page.t("catalogueAudit_field_\(name)"), value: entered[name] ?? "",
                problem: byField[name], multiline: name == "findings",
                hint: name == "auditedOn" ? page.t("catalogue_hint_date") : nil)
        }
        let entry = record.published ?? record.draft
        let model = CatalogueAuditModel(
            code: record.code, name: entry?.name(in: page.language) ?? record.code,
            latest: record.audit.map { audit in
                page.t(
                    "catalogueAudit_latest",
                    [
                        "date": audit.auditedOn.description, "sampled": page.number(audit.sampled),
                        "wrong": page.number(audit.wrong),
                        "outcome": page.t(audit.passed ? "catalogueAudit_passed" : "catalogueAudit_failed"),
                    ])
            },
            problems: unplaced, hasProblems: !problems.isEmpty, auditFields: fields,
            passedYes: entered["passed"] == "yes", passedNo: entered["passed"] == "no",
            passedProblem: byField["passed"], expected: expected, expectedProblem: byField["expected"])
        return try page.page(.catalogueAudit, title: page.t("catalogueAudit_title"), model: model, status: status)
    }

    /// Each problem beside its field where the form has one; the others in a list at the top.
    static func placed(
        _ problems: [RowError], on fields: Set<String>, _ page: PageRequest
    ) -> (
        byField: [String: String], unplaced: [String]
    ) {
        var byField: [String: String] = [:]
        var unplaced: [String] = []
        for problem in problems {
            if let field = problem.column, fields.contains(field) {
                byField[field] = [byField[field], problem.reason(in: page.language)].compactMap { $0 }.joined(
                    separator: "; ")
            } else {
                unplaced.append(problem.description(in: page.language))
            }
        }
        return (byField, unplaced)
    }

    // MARK: Expectations

    static let expectedKinds: [UnitKind] = [.ministry, .province, .commune]

    @Sendable func expectationsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let expectations = try await service.completions.expectations()
        var entered: [String: String] = ["deadline": expectations.deadline.description]
        for kind in Self.expectedKinds {
            entered["kind_\(kind.rawValue)"] = expectations.byKind[kind.rawValue].map { "\($0)" } ?? ""
        }
        entered["units"] = expectations.byUnit.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
            separator: "\n")
        let notice = request.uri.queryParameters["done"] == "saved"
        return try await expectationsPage(
            request, context, expectations, entered: entered, problems: [], saved: notice, status: .ok)
    }

    @Sendable func setExpectations(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let fields = FormFields(body: try await request.collectBody(upTo: 256 * 1024))
        var entered: [String: String] = [:]
        for name in ["deadline", "units"] + Self.expectedKinds.map({ "kind_\($0.rawValue)" }) {
            entered[name] = fields[name] ?? ""
        }
        let current = try await service.completions.expectations()
        do {
            var problems: [RowError] = []
            var expectations = CatalogueExpectations(deadline: current.deadline)
            let deadline = (entered["deadline"] ?? "").trimmingWhitespace()
            if let day = FieldProblems.day(deadline) {
                expectations.deadline = day
            } else {
                problems.append(FieldProblems.notADay("deadline", deadline))
            }
            for kind in Self.expectedKinds {
                let name = "kind_\(kind.rawValue)"
                do {
                    if let count = try Self.wholeNumber(name, entered[name] ?? "", context.language) {
                        expectations.byKind[kind.rawValue] = count
                    }
                } catch {
                    problems += error.errors
                }
            }
            for (index, line) in (entered["units"] ?? "").split(whereSeparator: \.isNewline).enumerated() {
                let parts = line.split(separator: ":", maxSplits: 1).map { String($0).trimmingWhitespace() }
                guard parts.count == 2, !parts[0].isEmpty,
                    let count = try? Self.wholeNumber("units", parts[1], context.language)
                else {
                    problems.append(
                        RowError(
                            line: nil, column: "units",
                            en: "line \(index + 1): write a unit's code, a colon and a number (01: 3)",
                            vi: "dòng \(index + 1): ghi mã đơn vị, dấu hai chấm và một số (01: 3)"))
                    continue
                }
                expectations.byUnit[parts[0]] = count
            }
            if !problems.isEmpty { throw ValidationFailure(problems) }
            _ = try await service.setExpectations(expectations, authenticated.caller)
            return Response(status: .seeOther, headers: [.location: "/catalogue/expectations?done=saved"])
        } catch let failure as ValidationFailure {
            // The service names a unit's count `byUnit.01` and a kind's `byKind.province`.
            let problems = failure.errors.map { problem in
                var problem = problem
                if let column = problem.column, column.hasPrefix("byUnit.") { problem.column = "units" }
                if let column = problem.column, column.hasPrefix("byKind.") {
                    problem.column = "kind_" + column.dropFirst("byKind.".count)
                }
                return problem
            }
            return try await expectationsPage(
                request, context, current, entered: entered, problems: problems, saved: false,
                status: .unprocessableContent)
        }
    }

    func expectationsPage(
        _ request: Request, _ context: AppRequestContext, _ current: CatalogueExpectations,
        entered: [String: String], problems: [RowError], saved: Bool, status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let principal = page.identity?.principal ?? .anonymous
        let root = try await service.units.root()
        var canEdit = false
        if let root { canEdit = try await service.access.may(principal, .auditCatalogue, on: root) }
        let names = ["deadline", "units"] + Self.expectedKinds.map { "kind_\($0.rawValue)" }
        let (byField, unplaced) = Self.placed(problems, on: Set(names), page)
        let fields =
            [
                CatalogueFormModel.Field(
                    name: "deadline", label: page.t("catalogueExpectations_deadline"), value: entered["deadline"] ?? "",
                    problem: byField["deadline"], multiline: false, hint: page.t("catalogue_hint_date"))
            ]
            + Self.expectedKinds.map { kind in
                CatalogueFormModel.Field(
                    name: "kind_\(kind.rawValue)",
                    label: page.t("catalogueExpectations_kind", ["kind": page.t("kind_\(kind.rawValue)")]),
                    value: entered["kind_\(kind.rawValue)"] ?? "", problem: byField["kind_\(kind.rawValue)"],
                    multiline: false, hint: nil)
            }
            + [
                CatalogueFormModel.Field(
                    name: "units", label: page.t("catalogueExpectations_units"), value: entered["units"] ?? "",
                    problem: byField["units"], multiline: true, hint: page.t("catalogueExpectations_unitsHint"))
            ]
        var facts = [
            CatalogueEntryModel.Fact(
                label: page.t("catalogueExpectations_deadline"), value: current.deadline.description, href: nil)
        ]
        for kind in Self.expectedKinds {
            facts.append(
                .init(
                    label: page.t("catalogueExpectations_kind", ["kind": page.t("kind_\(kind.rawValue)")]),
                    value: page.number(current.byKind[kind.rawValue] ?? 0), href: nil))
        }
        for (unit, count) in current.byUnit.sorted(by: { $0.key < $1.key }) {
            facts.append(.init(label: unit, value: page.number(count), href: "/units/\(unit)"))
        }
        let model = CatalogueExpectationsModel(
            notice: saved ? page.t("catalogueExpectations_saved") : nil, problems: unplaced,
            hasProblems: !problems.isEmpty, current: facts, canEdit: canEdit, fields: fields)
        let response = try page.page(
            .catalogueExpectations, title: page.t("catalogueExpectations_title"), model: model, status: status)
        return canEdit ? response : response.depending(on: [.catalogue])
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

struct CatalogueAuditModel: PageModel {
    let code: String
    let name: String
    let latest: String?
    let problems: [String]
    let hasProblems: Bool
    let auditFields: [CatalogueFormModel.Field]
    let passedYes: Bool
    let passedNo: Bool
    let passedProblem: String?
    let expected: String
    let expectedProblem: String?
}

struct CatalogueExpectationsModel: PageModel {
    let notice: String?
    let problems: [String]
    let hasProblems: Bool
    let current: [CatalogueEntryModel.Fact]
    let canEdit: Bool
    let fields: [CatalogueFormModel.Field]
}
