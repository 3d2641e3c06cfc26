import ArgumentParser
import Foundation
import MandateCore
import MandateStore

extension BenchData {
    /// `bench-data timings`: how long the store takes to read what the delivery measures and the
    /// escalation board need, and how long the measures take to compute, each timed on its own.
    struct Timings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time deliveryFacts(), DeliveryMeasures.compute and escalation(today:limit:) (JSON, ms).")

        @OptionGroup var databaseOptions: DatabaseOptions
        @Option(help: "Timed rounds (the first is reported apart, as the cold one).") var repeats = 11
        @Option(help: "The day to compute for (YYYY-MM-DD; default: today, UTC).") var today: String?

        func validate() throws {
            guard (1...1000).contains(repeats) else { throw ValidationError("--repeats is 1…1000") }
            if let today, CivilDate(iso: today) == nil { throw ValidationError("--today is YYYY-MM-DD") }
        }

        func run() async throws {
            let day = today.flatMap { CivilDate(iso: $0) } ?? AppClock().today()
            let rounds = repeats
            let report = try await databaseOptions.withStore { store in
                var facts: [Double] = []
                var compute: [Double] = []
                var escalation: [Double] = []
                var tasks = 0
                var units = 0
                let clock = ContinuousClock()
                for _ in 0..<rounds {
                    let t0 = clock.now
                    let loaded = try await store.tasks.deliveryFacts()
                    let t1 = clock.now
                    let measures = DeliveryMeasures.compute(loaded, today: day)
                    let t2 = clock.now
                    _ = try await store.tasks.escalation(today: day, limit: 200)
                    let t3 = clock.now
                    facts.append(Self.milliseconds(t1 - t0))
                    compute.append(Self.milliseconds(t2 - t1))
                    escalation.append(Self.milliseconds(t3 - t2))
                    tasks = loaded.count
                    units = measures.count
                }
                return Report(
                    today: day.description, tasks: tasks, units: units, repeats: rounds,
                    deliveryFactsMs: Series(facts), computeMs: Series(compute), escalationMs: Series(escalation))
            }
            print(try Tasks.json(report))
        }

        static func milliseconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }

        struct Report: Encodable, Sendable {
            var today: String
            var tasks: Int
            var units: Int
            var repeats: Int
            var deliveryFactsMs: Series
            var computeMs: Series
            var escalationMs: Series
        }

        /// Timings of the rounds: the first apart, and the median, minimum and maximum of the rest.
        struct Series: Encodable, Sendable {
            var first: Double
            var median: Double
            var min: Double
            var max: Double
            var all: [Double]

            init(_ values: [Double]) {
                let rounded = values.map { ($0 * 1000).rounded() / 1000 }
                let rest = rounded.count > 1 ? Array(rounded.dropFirst()).sorted() : rounded
                first = rounded.first ?? 0
                median =
                    rest.isEmpty
                    ? 0
                    : rest.count % 2 == 1 ? rest[rest.count / 2] : (rest[rest.count / 2 - 1] + rest[rest.count / 2]) / 2
                min = rest.first ?? 0
                max = rest.last ?? 0
                all = rounded
            }
        }
    }
}
