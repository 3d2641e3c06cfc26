import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `indicator-rules`: the rules that read one indicator, and the form to add, change or remove one.
struct IndicatorRulesModel: PageModel {
    struct Rule: Sendable {
        let code: String
        /// What the rule asks, in words.
        let condition: String
        let message: String
        let editHref: String
        let deleteAction: String
    }

    let indicatorCode: String
    let indicatorName: String
    let rules: [Rule]
    let hasRules: Bool
    let notice: String?
    let problems: [String]
    let hasProblems: Bool
    let code: String
    let kinds: [TaskChoice]
    let minimum: String
    let maximum: String
    let comparisons: [TaskChoice]
    let other: String
    let message: String
}

/// The rules of an indicator through a page (`/indicators/{code}/rules`): the same rule and
/// checks as `PUT` and `DELETE /api/v1/validationRules/{code}` (`ValueService.save`,
/// `ValidationRule.problems`), limits typed the page's way.
extension IndicatorFormPages {
    func registerRules(on router: Router<AppRequestContext>) {
        router.get("/indicators/{code}/rules", use: rules)
        router.post("/indicators/{code}/rules", use: saveRule)
        router.post("/indicators/{code}/rules/{rule}/delete", use: deleteRule)
    }

    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        guard try await defines(authenticated.identity.principal) else {
            throw AppError.forbidden("only committee roles may define indicators")
        }
        let code = try context.parameters.require("code")
        var entered: [String: String] = ["kind": "range", "comparison": "<="]
        if let ruleCode = request.uri.queryParameters["rule"].map(String.init),
            let rule = try await service.indicators.rules().first(where: { $0.code == ruleCode })
        {
            entered = [
                "code": rule.code, "kind": rule.kind.rawValue,
                "minimum": rule.minimum.map { WrittenNumber.written($0, context.language) } ?? "",
                "maximum": rule.maximum.map { WrittenNumber.written($0, context.language) } ?? "",
                "comparison": rule.comparison?.rawValue ?? "<=", "other": rule.other ?? "", "message": rule.message,
            ]
        }
        return try await rulesPage(request, context, indicator: code, entered: entered, problems: [], status: .ok)
    }

    @Sendable func saveRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        var entered: [String: String] = [:]
        for key in ["code", "kind", "minimum", "maximum", "comparison", "other", "message"] {
            entered[key] = (fields[key] ?? "").trimmingWhitespace()
        }
        do {
            let rule = try Self.rule(entered, indicator: code, language: context.language)
            _ = try await service.save(rule, code: rule.code, authenticated.caller)
            return Response(status: .seeOther, headers: [.location: "/indicators/\(code)/rules?done=saved"])
        } catch let failure as ValidationFailure {
            return try await rulesPage(
                request, context, indicator: code, entered: entered,
                problems: failure.errors.map { $0.description(in: context.language) }, status: .unprocessableContent)
        }
    }

    @Sendable func deleteRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        let code = try context.parameters.require("code")
        try await service.deleteRule(try context.parameters.require("rule"), authenticated.caller)
        return Response(status: .seeOther, headers: [.location: "/indicators/\(code)/rules?done=deleted"])
    }

    /// The form's fields as a rule on `indicator`; limits not written as numbers are reported
    /// with the rule's own problems.
    static func rule(
        _ entered: [String: String], indicator: String, language: Language
    ) throws(ValidationFailure) -> ValidationRule {
        var errors: [RowError] = []
        func number(_ key: String) -> Double? {
            guard let text = entered[key], !text.isEmpty else { return nil }
            guard case .success(let value) = WrittenNumber.read(text, language) else {
                errors.append(
                    RowError(
                        line: nil, column: key, en: "\"\(text)\" is not a number written this page's way",
                        vi: "\"\(text)\" không phải số viết theo cách của trang này"))
                return nil
            }
            return value
        }
        guard let kind = ValidationRule.Kind(rawValue: entered["kind"] ?? "") else {
            throw ValidationFailure([RowError(line: nil, column: "kind", en: "choose a kind", vi: "hãy chọn loại")])
        }
        let rule = ValidationRule(
            code: entered["code"] ?? "", kind: kind, indicator: indicator,
            minimum: kind == .range ? number("minimum") : nil, maximum: kind == .range ? number("maximum") : nil,
            comparison: kind == .compare ? ValidationRule.Comparison(rawValue: entered["comparison"] ?? "") : nil,
            other: kind == .compare ? entered["other"].flatMap { $0.isEmpty ? nil : $0 } : nil,
            message: entered["message"] ?? "")
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return rule
    }

    func rulesPage(
        _ request: Request, _ context: AppRequestContext, indicator code: String, entered: [String: String],
        problems: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let page = PageRequest(request, context, pages)
        guard let indicator = try await service.indicators.get(code: code) else {
            throw AppError.notFound("no indicator has code \"\(code)\"")
        }
        let rules = try await service.indicators.rules().filter { $0.indicators.contains(code) }
        let done = request.uri.queryParameters["done"].map(String.init).flatMap {
            ["saved", "deleted"].contains($0) ? page.t("indicatorRules_done_\($0)") : nil
        }
        func condition(_ rule: ValidationRule) -> String {
            switch rule.kind {
            case .range:
                let low = rule.minimum.map { page.number($0) } ?? "…"
                let high = rule.maximum.map { page.number($0) } ?? "…"
                return page.t("indicatorRules_rangeText", ["indicator": rule.indicator, "low": low, "high": high])
            case .required:
                return page.t("indicatorRules_requiredText", ["indicator": rule.indicator])
            case .compare:
                return "\(rule.indicator) \(rule.comparison?.rawValue ?? "?") \(rule.other ?? "?")"
            }
        }
        let model = IndicatorRulesModel(
            indicatorCode: code, indicatorName: page.language == .vi ? indicator.nameVi : indicator.nameEn,
            rules: rules.map {
                .init(
                    code: $0.code, condition: condition($0), message: $0.message,
                    editHref: "/indicators/\(code)/rules?rule=\($0.code)#rule-form",
                    deleteAction: "/indicators/\(code)/rules/\($0.code)/delete")
            }, hasRules: !rules.isEmpty, notice: done, problems: problems, hasProblems: !problems.isEmpty,
            code: entered["code"] ?? "",
            kinds: ValidationRule.Kind.allCases.map {
                TaskChoice(
                    value: $0.rawValue, label: page.t("indicatorRules_kind_\($0.rawValue)"),
                    selected: $0.rawValue == entered["kind"])
            }, minimum: entered["minimum"] ?? "", maximum: entered["maximum"] ?? "",
            comparisons: ValidationRule.Comparison.allCases.map {
                TaskChoice(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == entered["comparison"])
            }, other: entered["other"] ?? "", message: entered["message"] ?? "")
        return try page.page(
            .indicatorRules, title: page.t("indicatorRules_title", ["code": code]), model: model, status: status)
    }
}
