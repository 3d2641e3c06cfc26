import Foundation
import MandateCore

/// The demo's ranking methods, shipped as JSON documents in `Resources/ranking-methods/`: provinces
/// by a DTI-like index (digital government 40, digital economy 30, digital society 30) plus task
/// delivery and citizens' satisfaction (illustrative ratings, `DemoRatings`), the same without
/// satisfaction by a geometric mean (to compare the two), and ministries by digital government,
/// data and people, and delivery. Illustrative.
public enum DemoRankingMethods {
    public static let names = ["province-dti", "province-dti-geometric", "ministry-delivery"]

    /// Every demo method, read and validated.
    public static func all() throws -> [RankingMethod] {
        try names.map(method)
    }

    /// The demo method `name`.
    public static func method(_ name: String) throws -> RankingMethod {
        guard
            let url = Bundle.module.url(
                forResource: name, withExtension: "json", subdirectory: "Resources/ranking-methods")
        else {
            throw ValidationFailure(
                field: "resource", reason: "ranking-methods/\(name).json is missing from the bundle")
        }
        return try RankingMethod.decode(try Data(contentsOf: url))
    }
}
