import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The databases the committee expects of each kind of unit, or of a unit, and by when: read by
/// anyone, changed by the committee through `CatalogueService.setExpectations`, the API's path.
extension CataloguePages {
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

struct CatalogueExpectationsModel: PageModel {
    let notice: String?
    let problems: [String]
    let hasProblems: Bool
    let current: [CatalogueEntryModel.Fact]
    let canEdit: Bool
    let fields: [CatalogueFormModel.Field]
}
