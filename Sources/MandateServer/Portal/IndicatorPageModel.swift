/// One indicator (`indicator.mustache`): its definition, the national figures against the target
/// trajectory, and the spread across provinces.
struct IndicatorPageModel: PageModel {
    struct Definition: Sendable {
        let code: String
        let name: String
        let unit: String
        let frequency: String
        let direction: String
        let rollup: String
        let illustrative: Bool
    }

    struct Target: Sendable {
        let year: Int
        let value: String
    }

    /// A national figure, newest first, with the target of its year.
    struct NationalRow: Sendable {
        let period: String
        let value: String
        let target: String?
    }

    struct ProvinceRow: Sendable {
        let code: String
        let name: String
        let value: String
    }

    let live: String
    let indicator: Definition
    let targets: [Target]
    let hasTargets: Bool
    /// The trajectory chart's SVG; nil with neither figures nor targets to draw.
    let trajectory: String?
    let national: [NationalRow]
    let hasNational: Bool
    /// The spread chart's SVG and its period; nil when no province has a figure.
    let spread: String?
    let spreadPeriod: String?
    let provinces: [ProvinceRow]
    let csvHref: String
    let jsonHref: String
    /// The indicator form, for who defines indicators.
    let editHref: String?
}
