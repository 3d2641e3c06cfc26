import MandateCore
import MandateStore
import Testing

@Suite struct DemoRankingMethodsTests {
    @Test func theProvinceMethodIsDTILikeWithADeliveryPillar() throws {
        let method = try DemoRankingMethods.method("province-dti")
        #expect(method.unitKind == .province)
        #expect(method.pillars.map(\.code) == ["CQS", "KTS", "XHS", "DELIVERY"])
        // Digital government 40%, digital economy 30%, digital society 30% of the DTI part.
        #expect(method.pillars.prefix(3).map(\.weight) == [40, 30, 30])
        #expect(method.pillars[3].components.allSatisfy { if case .delivery = $0.source { true } else { false } })
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
