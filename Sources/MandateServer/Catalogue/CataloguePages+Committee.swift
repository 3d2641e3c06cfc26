import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The pages the API's committee paths lacked: a database's audit and expected record count,
/// recorded by a committee analyst, and the databases expected of each unit and by when. Each goes
/// through `CatalogueService`, as the API does.
extension CataloguePages {
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
