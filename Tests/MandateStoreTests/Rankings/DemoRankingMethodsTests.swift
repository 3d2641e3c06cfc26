import MandateCore
import Testing

@testable import MandateStore

@Suite struct DemoRankingMethodsTests {
    @Test func theProvinceMethodIsDTILikeWithDeliveryAndSatisfactionPillars() throws {
        let method = try DemoRankingMethods.method("province-dti")
        #expect(method.unitKind == .province)
        #expect(method.pillars.map(\.code) == ["CQS", "KTS", "XHS", "DELIVERY", "HL"])
        // Digital government 40%, digital economy 30%, digital society 30% of the DTI part.
        #expect(method.pillars.prefix(3).map(\.weight) == [40, 30, 30])
        #expect(method.pillars[3].components.allSatisfy { if case .delivery = $0.source { true } else { false } })
        // Citizens' satisfaction from illustrative ratings, so labelled.
        #expect(method.pillars[4].components.map(\.source) == [.satisfaction("overall"), .satisfaction("staff")])
        #expect(method.pillars[4].nameEn.contains("illustrative") && method.nameEn.contains("illustrative"))
    }

    /// The demo's ratings: every province rated in 2024 and 2025, all illustrative, none with a
    /// comment, from a handful to a few hundred a year; the same on every call.
    @Test func theDemoRatingsCoverEveryProvinceInBothYears() {
        let provinces = ["01", "79", "92"]
        let ratings = DemoRatings.ratings(provinces: provinces)
        #expect(ratings == DemoRatings.ratings(provinces: provinces))
        #expect(ratings.allSatisfy { $0.illustrative && $0.comment == nil && $0.state == .recorded })
        for province in provinces {
            for year in ["2024", "2025"] {
                let count = ratings.count { $0.unit == province && $0.period.hasPrefix(year) }
                #expect(DemoRatings.yearly.contains(count), "\(province) \(year): \(count)")
            }
        }
        #expect(Set(ratings.map(\.receipt)).count == ratings.count)
    }

    @Test func everyDemoIndicatorSourceExistsAndAppliesToTheRankedKind() throws {
        let indicators = Dictionary(uniqueKeysWithValues: DemoIndicators.indicators.map { ($0.code, $0) })
        let methods = try DemoRankingMethods.all()
        #expect(methods.map(\.id) == ["province-dti", "province-dti-geometric", "ministry-delivery"])
        for method in methods {
            for component in method.components {
                guard case .indicator(let code) = component.source else { continue }
                let indicator = try #require(indicators[code], "\(method.id): \(code)")
                #expect(indicator.appliesTo.contains(method.unitKind), "\(method.id): \(code)")
                #expect(indicator.frequency == .yearly, "\(method.id): \(code) is ranked by year")
            }
            // Resolved with the indicators' targets, the method ranks a year without further input.
            let resolved = method.resolvingTargets(year: 2025, indicators: indicators)
            let table = RankingTable(
                period: "2025",
                values: ["A": Dictionary(uniqueKeysWithValues: method.components.map { ($0.source.key, 1.0) })])
            #expect(try RankingEngine(method: resolved).rank(table).unit("A")?.rank == 1)
        }
    }
}
