import Foundation
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// The ranking method editor's form: a method written as fields reads back as the same method in
/// either language, blank and removed rows are left out, and every problem names its field.
@Suite struct RankingMethodFormTests {
    /// The flat fields a form would send for `form`, as the page names them.
    static func sent(_ form: RankingMethodForm) -> [String: String] {
        var fields = [
            "id": form.id, "nameVi": form.nameVi, "nameEn": form.nameEn, "unitKind": form.unitKind,
            "aggregation": form.aggregation, "missingData": form.missingData, "uncertainty.draws": form.draws,
            "uncertainty.seed": form.seed, "uncertainty.weightSpread": form.weightSpread,
            "pseudoRatings": form.pseudoRatings,
        ]
        for (p, pillar) in form.pillars.enumerated() {
            let at = "pillars[\(p)]"
            fields[at + ".code"] = pillar.code
            fields[at + ".nameVi"] = pillar.nameVi
            fields[at + ".nameEn"] = pillar.nameEn
            fields[at + ".weight"] = pillar.weight
            for (c, component) in pillar.components.enumerated() {
                let at = at + ".components[\(c)]"
                fields[at + ".code"] = component.code
                fields[at + ".source"] = component.source
                fields[at + ".weight"] = component.weight
                fields[at + ".direction"] = component.direction
                fields[at + ".normalisation"] = component.normalisation
                fields[at + ".normalisation.target"] = component.target
                fields[at + ".normalisation.min"] = component.min
                fields[at + ".normalisation.max"] = component.max
                fields[at + ".alternatives"] = component.alternatives
            }
        }
        return fields
    }

    @Test(arguments: Language.allCases)
    func aMethodWrittenAsFieldsReadsBackTheSame(language: Language) throws {
        var method = try Self.demoMethod()
        method.pillars[1].components[1].alternatives = [.goalposts(min: 0.5, max: 1.25), .distanceToTarget(target: 80)]
        let form = RankingMethodForm(method, language)
        #expect(
            form.pillars[1].components[1].alternatives.contains(
                language == .vi ? "goalposts(0,5; 1,25)" : "goalposts(0.5; 1.25)"))
        let sent = Self.sent(form)
        let read = RankingMethodForm { sent[$0] }
        #expect(read == form)
        #expect(try read.method(version: method.version, language) == method)
    }

    @Test func blankAndRemovedRowsAreLeftOut() throws {
        let method = try Self.demoMethod()
        var sent = Self.sent(RankingMethodForm(method, .vi))
        // A blank pillar and a blank component, as the page offers them.
        sent["pillars[5].code"] = ""
        sent["pillars[5].components[0].code"] = ""
        sent["pillars[5].components[0].direction"] = "higher"
        sent["pillars[0].components[1].code"] = ""
        sent["pillars[0].components[1].normalisation"] = "minMax"
        sent["pillars[2].components[1].remove"] = "yes"
        let read = try RankingMethodForm { sent[$0] }.method(version: 1, .vi)
        #expect(read.pillars.count == method.pillars.count)
        #expect(read.pillars[0].components == method.pillars[0].components)
        #expect(read.pillars[2].components.map(\.code) == ["XHS_DTI"])
        sent["pillars[1].remove"] = "yes"
        #expect(
            try RankingMethodForm { sent[$0] }.method(version: 1, .vi).pillars.map(\.code) == [
                "CQS", "XHS", "DELIVERY", "HL",
            ])
    }

    @Test func everyProblemNamesItsFieldInTheReadersLanguage() throws {
        var sent = Self.sent(RankingMethodForm(try Self.demoMethod(), .vi))
        sent["pillars[0].weight"] = "1.5"  // the English way, on a Vietnamese form
        sent["pillars[1].components[0].source"] = "delivery:speed"
        sent["pillars[1].components[1].alternatives"] = "rank median"
        sent["pillars[2].components[0].normalisation.max"] = "-1"
        sent["uncertainty.draws"] = "nhiều"
        sent["nameEn"] = ""
        let form = RankingMethodForm { sent[$0] }
        #expect(throws: ValidationFailure.self) { try form.method(version: 1, .vi) }
        do {
            _ = try form.method(version: 1, .vi)
        } catch {
            let byField = Dictionary(
                error.errors.map { ($0.column ?? "", $0.reason(in: .vi)) }, uniquingKeysWith: { $0 + "; " + $1 })
            #expect(
                byField["pillars[0].weight"]?.hasSuffix("Trong tiếng Việt, dấu thập phân là dấu phẩy: hãy viết 1,5")
                    == true)
            #expect(byField["pillars[1].components[0].source"]?.hasPrefix("mã chỉ tiêu, hoặc một trong") == true)
            #expect(byField["pillars[1].components[1].alternatives"]?.contains("cách nhau bởi dấu cách") == true)
            #expect(byField["pillars[2].components[0].normalisation.max"] == "ngưỡng trên phải lớn hơn ngưỡng dưới (0)")
            #expect(byField["uncertainty.draws"] == "hãy nhập số lượt rút")
            #expect(byField["nameEn"] == "thiếu tên tiếng Anh")
            #expect(error.errors.count == 6)
            #expect(error.errors.first { $0.column == "nameEn" }?.reason == "the English name is empty")
        }
    }

    static func demoMethod() throws -> RankingMethod {
        try DemoRankingMethods.method("province-dti")
    }
}
