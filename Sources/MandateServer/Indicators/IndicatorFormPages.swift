import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// `indicator-form`: an indicator defined or edited, with what was typed and every problem.
struct IndicatorFormModel: PageModel {
    let action: String
    let isNew: Bool
    let problems: [String]
    let hasProblems: Bool
    let code: String
    let nameVi: String
    let nameEn: String
    let unitOfMeasure: String
    let valueTypes: [TaskChoice]
    let directions: [TaskChoice]
    let frequencies: [TaskChoice]
    let kinds: [TaskChoice]
    let rollups: [TaskChoice]
    let denominator: String
    /// One target a line: "year | value", the value written the page's way.
    let targets: String
    let dueDays: String
}

/// The committee's indicator form (`/indicators/new`, `/indicators/{code}/edit`): the same
/// definition and checks as `POST` and `PUT /api/v1/indicators` (`ValueService.define`,
/// `Indicator.problems`), each problem named by its field in the reader's language.
struct IndicatorFormPages {
    let service: ValueService
    let pages: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get("/indicators/new", use: newIndicator)
        router.post("/indicators/new", use: create)
        router.get("/indicators/{code}/edit", use: edit)
        router.post("/indicators/{code}/edit", use: update)
        registerRules(on: router)
    }

    /// Whether `principal` defines indicators: what the indicator pages ask before they link the form.
    func defines(_ principal: Principal) async throws -> Bool {
        try await service.access.definesIndicators(principal)
    }

    @Sendable func newIndicator(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        guard try await defines(authenticated.identity.principal) else {
            throw AppError.forbidden("only committee roles may define indicators")
        }
        let entered = [
            "valueType": "number", "direction": "higher", "frequency": "yearly", "rollup": "sum",
            "appliesTo": "province", "dueDays": "\(Indicator.defaultDueDays)",
        ]
        return try form(request, context, code: nil, entered: entered, kinds: ["province"], problems: [], status: .ok)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authenticated = try AuthenticatedContext(context: context)
        guard try await defines(authenticated.identity.principal) else {
            throw AppError.forbidden("only committee roles may define indicators")
        }
        let code = try context.parameters.require("code")
        guard let indicator = try await service.indicators.get(code: code) else {
            throw AppError.notFound("no indicator has code \"\(code)\"")
        }
        let entered = [
            "code": indicator.code, "nameVi": indicator.nameVi, "nameEn": indicator.nameEn,
            "unitOfMeasure": indicator.unitOfMeasure, "valueType": indicator.valueType.rawValue,
            "direction": indicator.direction.rawValue, "frequency": indicator.frequency.rawValue,
            "rollup": indicator.rollup.method.rawValue, "denominator": indicator.rollup.denominator ?? "",
            "dueDays": "\(indicator.dueDays)",
            "targets": indicator.targets.map {
                "\($0.year) | \(WrittenNumber.written($0.value, context.language))"
            }.joined(separator: "\n"),
        ]
        return try form(
            request, context, code: code, entered: entered, kinds: Set(indicator.appliesTo.map(\.rawValue)),
            problems: [], status: .ok)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context, code: nil)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context, code: try context.parameters.require("code"))
    }

    static let fields = [
        "code", "nameVi", "nameEn", "unitOfMeasure", "valueType", "direction", "frequency", "rollup", "denominator",
        "targets", "dueDays",
    ]

    func save(_ request: Request, _ context: AppRequestContext, code: String?) async throws -> Response {
        var request = request
        let authenticated = try AuthenticatedContext(context: context)
        let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
        let fields = FormFields(body: ByteBuffer(string: body))
        var entered: [String: String] = [:]
        for key in Self.fields { entered[key] = (fields[key] ?? "").trimmingWhitespace() }
        if let code { entered["code"] = code }
        // Check boxes: every `appliesTo` the form sent.
        let kinds = Set(
            body.split(separator: "&").compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && parts[0] == "appliesTo" ? String(parts[1]) : nil
            })
        do {
            let indicator = try Self.indicator(entered, kinds: kinds, language: context.language)
            let saved = try await service.define(indicator, replacing: code, authenticated.caller)
            return Response(status: .seeOther, headers: [.location: "/indicators/\(saved.code)"])
        } catch let failure as ValidationFailure {
            return try form(
                request, context, code: code, entered: entered, kinds: kinds,
                problems: failure.errors.map { $0.description(in: context.language) }, status: .unprocessableContent)
        } catch let error as AppError where error.status == .conflict {
            let problem =
                context.language == .vi
                ? "code: đã có chỉ tiêu mã \(entered["code"] ?? "")" : "code: indicator \(entered["code"] ?? "") exists"
            return try form(
                request, context, code: code, entered: entered, kinds: kinds, problems: [problem], status: .conflict)
        }
    }

    /// The form's fields as an indicator; a problem the definition cannot even be built with (a
    /// choice not offered, a target not written as a number) is reported with the definition's.
    static func indicator(
        _ entered: [String: String], kinds: Set<String>, language: Language
    ) throws(ValidationFailure) -> Indicator {
        var errors: [RowError] = []
        func choice<T: RawRepresentable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let value = T(rawValue: entered[key] ?? "") else {
                errors.append(RowError(line: nil, column: key, en: "choose a value", vi: "hãy chọn một giá trị"))
                return nil
            }
            return value
        }
        let valueType = choice("valueType", ValueType.self) ?? .number
        let direction = choice("direction", Direction.self) ?? .higher
        let frequency = choice("frequency", Frequency.self) ?? .yearly
        let method = choice("rollup", RollupMethod.self) ?? .none
        var targets: [IndicatorTarget] = []
        for (index, line) in (entered["targets"] ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|").map { String($0).trimmingWhitespace() }
            guard parts.count == 2, let year = Int(parts[0]),
                case .success(let value) = WrittenNumber.read(parts[1], language, percent: valueType == .percent)
            else {
                let example = language == .vi ? "2030 | 75,5" : "2030 | 75.5"
                errors.append(
                    RowError(
                        line: nil, column: "targets", en: "line \(index + 1): write \"year | value\", e.g. \(example)",
                        vi: "dòng \(index + 1): hãy viết \"năm | giá trị\", ví dụ \(example)"))
                continue
            }
            targets.append(IndicatorTarget(year: year, value: value))
        }
        let dueDays = Int(entered["dueDays"] ?? "")
        if dueDays == nil {
            errors.append(
                RowError(line: nil, column: "dueDays", en: "a number of days", vi: "hãy nhập số ngày"))
        }
        let denominator = entered["denominator"].flatMap { $0.isEmpty ? nil : $0 }
        let indicator = Indicator(
            code: entered["code"] ?? "", nameVi: entered["nameVi"] ?? "", nameEn: entered["nameEn"] ?? "",
            unitOfMeasure: entered["unitOfMeasure"] ?? "", valueType: valueType, direction: direction,
            frequency: frequency, appliesTo: UnitKind.allCases.filter { kinds.contains($0.rawValue) },
            rollup: RollupRule(method, denominator: denominator), targets: targets,
            dueDays: dueDays ?? Indicator.defaultDueDays)
        errors += indicator.problems()
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return indicator
    }

    func form(
        _ request: Request, _ context: AppRequestContext, code: String?, entered: [String: String],
        kinds: Set<String>, problems: [String], status: HTTPResponse.Status
    ) throws -> Response {
        let page = PageRequest(request, context, pages)
        func options<T: CaseIterable & RawRepresentable>(_ key: String, _ type: T.Type) -> [TaskChoice]
        where T.RawValue == String {
            T.allCases.map {
                .init(
                    value: $0.rawValue, label: page.t("indicatorForm_\(key)_\($0.rawValue)"),
                    selected: $0.rawValue == entered[key])
            }
        }
        let model = IndicatorFormModel(
            action: code.map { "/indicators/\($0)/edit" } ?? "/indicators/new", isNew: code == nil,
            problems: problems, hasProblems: !problems.isEmpty, code: entered["code"] ?? "",
            nameVi: entered["nameVi"] ?? "", nameEn: entered["nameEn"] ?? "",
            unitOfMeasure: entered["unitOfMeasure"] ?? "", valueTypes: options("valueType", ValueType.self),
            directions: options("direction", Direction.self), frequencies: options("frequency", Frequency.self),
            kinds: UnitKind.allCases.map {
                .init(value: $0.rawValue, label: page.t("kind_\($0.rawValue)"), selected: kinds.contains($0.rawValue))
            }, rollups: options("rollup", RollupMethod.self), denominator: entered["denominator"] ?? "",
            targets: entered["targets"] ?? "", dueDays: entered["dueDays"] ?? "")
        return try page.page(
            .indicatorForm, title: page.t(code == nil ? "indicatorForm_newTitle" : "indicatorForm_editTitle"),
            model: model, status: status)
    }
}
