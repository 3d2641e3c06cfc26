import Foundation
import MandateCore

#if canImport(Glibc)
    import Glibc
#endif

/// What `mandate rank --timings` reports: one period's ranking (the best of five), the same with
/// the change since the previous period (the best of five), and the Monte Carlo (a full ranking
/// with draws, its draws split among `workers` tasks, less the ranking with change), each as
/// wall-clock and as CPU time of the process (all threads). On a shared machine the wall clock
/// counts the time other processes hold the cores; the CPU time does not.
struct RankTimings: Encodable {
    var parseMs = 0.0
    var rankMs = 0.0
    var rankCpuMs = 0.0
    var rankWithChangeMs = 0.0
    var rankWithChangeCpuMs = 0.0
    var monteCarloMs = 0.0
    var monteCarloCpuMs = 0.0
    var draws = 0
    var workers = 1
    var units = 0
    var components = 0

    enum CodingKeys: String, CodingKey {
        case parseMs = "parse_ms"
        case rankMs = "rank_ms"
        case rankCpuMs = "rank_cpu_ms"
        case rankWithChangeMs = "rank_with_change_ms"
        case rankWithChangeCpuMs = "rank_with_change_cpu_ms"
        case monteCarloMs = "monte_carlo_ms"
        case monteCarloCpuMs = "monte_carlo_cpu_ms"
        case draws, workers, units, components
    }

    static func measure(
        _ engine: RankingEngine, _ table: RankingTable, previous: RankingTable?,
        uncertainty: RankingMethod.Uncertainty, workers: Int
    ) async throws -> RankTimings {
        var none = uncertainty
        none.draws = 0
        let one = try best { _ = try engine.rank(table, uncertainty: none) }
        let withChange =
            previous == nil ? one : try best { _ = try engine.rank(table, previous: previous, uncertainty: none) }
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = processCPUNanoseconds()
        _ = try await engine.rank(table, previous: previous, uncertainty: uncertainty, workers: workers)
        let full = (
            wall: Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e6,
            cpu: Double(processCPUNanoseconds() - cpu) / 1e6
        )
        return RankTimings(
            rankMs: one.wall, rankCpuMs: one.cpu, rankWithChangeMs: withChange.wall,
            rankWithChangeCpuMs: withChange.cpu, monteCarloMs: max(0, full.wall - withChange.wall),
            monteCarloCpuMs: max(0, full.cpu - withChange.cpu), draws: uncertainty.draws, workers: workers,
            units: table.units.count)
    }

    /// The least wall-clock and the least CPU time of five runs.
    static func best(_ work: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<5 {
            let run = try time(work)
            best = (min(best.wall, run.wall), min(best.cpu, run.cpu))
        }
        return best
    }

    /// Milliseconds of wall-clock and of the process's CPU time that `work` takes.
    static func time(_ work: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = processCPUNanoseconds()
        try work()
        return (
            Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e6, Double(processCPUNanoseconds() - cpu) / 1e6
        )
    }

    static func processCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
