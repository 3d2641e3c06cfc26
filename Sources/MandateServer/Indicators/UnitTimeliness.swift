import MandateCore
import MandateStore

/// How a unit reported in a year: every report it owes (`ReportingSpan`: none for a period that
/// begins after it ceased) judged on time, late, missing or not yet due (`Timeliness`). The API
/// and the unit's profile both show this.
struct UnitTimeliness: Sendable {
    let indicators: any IndicatorRepository
    let values: any DataValueRepository
    let units: any UnitRepository

    func report(of unit: OrgUnit, year: Int, today: CivilDate) async throws -> TimelinessReport {
        let applicable = try await indicators.list().filter { $0.appliesTo.contains(unit.kind) }
        let ceased = ReportingSpan.ceased(
            active: unit.active,
            takenOver: try await units.successors(of: unit.code).compactMap { CivilDate(iso: $0.effectiveOn) })
        let periods = Set(
            applicable.flatMap { indicator in
                Period.all(of: indicator.frequency, in: year).filter { ReportingSpan.reports($0, ceased: ceased) }
                    .map(\.id)
            })
        let reported = periods.isEmpty ? [:] : try await values.firstReported(unit: unit.code, periods: Array(periods))
        return TimelinessReport.build(
            unit: unit.code, kind: unit.kind, ceased: ceased, year: year, indicators: applicable,
            firstReported: reported, today: today)
    }
}
