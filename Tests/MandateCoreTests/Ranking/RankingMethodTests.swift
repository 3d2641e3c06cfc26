import Foundation
import MandateCore
import Testing

@Suite struct RankingMethodTests {
    static let document = """
        {
          "schemaVersion": 1, "id": "province-test", "version": 2, "nameVi": "Thử", "nameEn": "Test",
          "unitKind": "province", "aggregation": "geometric", "missingData": "groupMean",
          "pillars": [
            {"code": "GOV", "nameVi": "Chính quyền số", "nameEn": "Digital government", "weight": 40,
             "components": [
               {"code": "G1", "source": {"indicator": "DTI_CQS"}, "weight": 1, "direction": "higher",
                "normalisation": {"method": "goalposts", "min": 0, "max": 1}, "alternatives": ["minMax", "rank"]},
               {"code": "G2", "source": {"delivery": "overdue_count"}, "weight": 2, "direction": "lower",
                "normalisation": "zScore"}
             ]}
          ],
          "uncertainty": {"draws": 500, "seed": 7}
        }
        """

    @Test func readsTheDocumentedShape() throws {
        let method = try RankingMethod.decode(Data(Self.document.utf8))
        #expect(method.version == 2 && method.unitKind == .province)
        #expect(method.aggregation == .geometric && method.missingData == .groupMean)
        let components = method.components
        #expect(components.map(\.source.key) == ["DTI_CQS", "delivery:overdue_count"])
        #expect(components[0].options == [.goalposts(min: 0, max: 1), .minMax, .rank])
        #expect(components[1].normalisation == .zScore && components[1].alternatives.isEmpty)
        #expect(method.uncertainty == RankingMethod.Uncertainty(draws: 500, seed: 7, weightSpread: 0.25))
        // Written back and read again, it is the same method.
        let again = try RankingMethod.decode(try JSONEncoder().encode(method))
        #expect(again == method)
    }

    @Test func leftOutSettingsTakeTheirDefaults() throws {
        let minimal = """
            {"schemaVersion": 1, "id": "m", "version": 1, "nameVi": "m", "nameEn": "m", "unitKind": "ministry",
             "pillars": [{"code": "P", "nameVi": "p", "nameEn": "p", "weight": 1, "components": [
               {"code": "C", "source": {"indicator": "X"}, "weight": 1, "direction": "higher", "normalisation": "minMax"}]}]}
            """
        let method = try RankingMethod.decode(Data(minimal.utf8))
        #expect(method.aggregation == .arithmetic && method.missingData == .reweight)
        #expect(method.uncertainty == RankingMethod.Uncertainty(draws: 1000, seed: 57, weightSpread: 0.25))
    }

    @Test func malformedDocumentsNameTheField() throws {
        func problem(_ edit: (inout String) -> Void) throws -> RowError {
            var text = Self.document
            edit(&text)
            let failure = try #require(throws: ValidationFailure.self) { try RankingMethod.decode(Data(text.utf8)) }
            return try #require(failure.errors.first)
        }
        let missingWeight = try problem { $0 = $0.replacingOccurrences(of: "\"weight\": 40,", with: "") }
        #expect(missingWeight.column == "pillars[0].weight")
        #expect(missingWeight.reason == "weight is required")
        let twoSources = try problem {
            $0 = $0.replacingOccurrences(
                of: "{\"indicator\": \"DTI_CQS\"}", with: "{\"indicator\": \"DTI_CQS\", \"delivery\": \"on_time_rate\"}"
            )
        }
        #expect(twoSources.column == "pillars[0].components[0].source")
        let unknownMeasure = try problem { $0 = $0.replacingOccurrences(of: "overdue_count", with: "speed") }
        #expect(unknownMeasure.column == "pillars[0].components[1].source.delivery")
        let unknownNormalisation = try problem { $0 = $0.replacingOccurrences(of: "\"zScore\"", with: "\"logit\"") }
        #expect(unknownNormalisation.column == "pillars[0].components[1].normalisation")
        #expect(unknownNormalisation.reason.contains("unknown normalisation \"logit\""))
        let textWeight = try problem { $0 = $0.replacingOccurrences(of: "\"weight\": 2,", with: "\"weight\": \"2\",") }
        #expect(textWeight.column == "pillars[0].components[1].weight" && textWeight.reason == "expected a number")
        // An unknown word names the words allowed; a field without a line is named alone.
        let median = try problem { $0 = $0.replacingOccurrences(of: "\"geometric\"", with: "\"median\"") }
        #expect(median.column == "aggregation" && median.reason == "\"median\" is not one of: arithmetic, geometric")
        #expect(median.description == "aggregation: \"median\" is not one of: arithmetic, geometric")
        let kind = try problem { $0 = $0.replacingOccurrences(of: "\"province\"", with: "\"village\"") }
        #expect(kind.reason.hasPrefix("\"village\" is not one of: ") && kind.reason.contains("province"))
    }

    @Test func invalidMethodsListEveryProblemByField() throws {
        var method = try RankingMethod.decode(Data(Self.document.utf8))
        method.schemaVersion = 2
        method.version = 0
        method.pillars[0].weight = -1
        method.pillars[0].components[0].normalisation = .goalposts(min: 1, max: 1)
        method.pillars[0].components[0].alternatives = [.minMax, .minMax]
        method.pillars[0].components[1].code = "G1"
        method.pillars[0].components[1].source = .indicator("DTI_CQS")
        method.uncertainty.weightSpread = 1
        let fields = method.problems().map { $0.column ?? "" }
        #expect(
            fields == [
                "schemaVersion", "version", "pillars[0].weight", "pillars[0].components[0].normalisation.max",
                "pillars[0].components[0].alternatives[1]", "pillars[0].components[1].code",
                "pillars[0].components[1].source", "uncertainty.weightSpread",
            ])
        #expect(method.problems()[0].reason == "schema version 2 is not known; this Mandate reads 1")
        #expect(throws: ValidationFailure.self) { try RankingEngine(method: method) }
    }

    @Test func sourceKeysReadBack() {
        for source in [RankingSource.indicator("DTI_CQS"), .delivery(.onTimeRate), .satisfaction("services")] {
            #expect(RankingSource(key: source.key) == source)
        }
        #expect(RankingSource.delivery(.reportingTimeliness).key == "delivery:reporting_timeliness")
        #expect(RankingSource(key: "delivery:speed") == nil)
    }
}
