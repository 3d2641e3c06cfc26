import ArgumentParser
import Foundation
import MandateCore
import MandateStore

/// `mandate bench-data …`: fills a database with a benchmark load and times the store's task
/// reads. Hidden: it is for `bench/run.py`, not for operators.
struct BenchData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-data", abstract: "Benchmark data and timings (for bench/run.py).", shouldDisplay: false,
        subcommands: [Tasks.self, Timings.self])

    /// `bench-data tasks`: a seeded national-scale task load, in one transaction.
    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a seeded, deterministic task load (tasks, reports, extensions, recommendations).",
            discussion: "Prints a JSON summary. Refuses a database that already has tasks.")

        @OptionGroup var databaseOptions: DatabaseOptions
        @Option(help: "Tasks to create.") var tasks = 50_000
        @Option(help: "Progress reports over all tasks.") var reports = 500_000
        @Option(help: "Recommendations.") var recommendations = 400
        @Option(help: "Seed of the generator.") var seed: UInt64 = 1
        @Option(help: "The day the load is dated against (YYYY-MM-DD; default: today, UTC).") var today: String?

        func validate() throws {
            guard (1...1_000_000).contains(tasks), (0...20_000_000).contains(reports),
                (0...100_000).contains(recommendations)
            else { throw ValidationError("--tasks 1…1,000,000, --reports 0…20,000,000, --recommendations 0…100,000") }
            if let today, CivilDate(iso: today) == nil { throw ValidationError("--today is YYYY-MM-DD") }
        }

        func run() async throws {
            let day = today.flatMap { CivilDate(iso: $0) } ?? AppClock().today()
            let options = TaskLoad.Options(
                tasks: tasks, reports: reports, recommendations: recommendations, seed: seed, today: day)
            let summary = try await databaseOptions.withStore { store in
                if try await store.tasks.list(TaskQuery(today: day, limit: 1)).total > 0 {
                    throw ValidationError("the database already has tasks; load into a fresh one")
                }
                let started = Date()
                let units = try await store.units.list(UnitQuery(limit: 1_000_000)).items
                let content = TaskLoad.content(units: units, options: options)
                let generated = Date()
                try await store.tasks.save(DemoTasks.programme)
                try await SQLTaskRepository(database: store.database).load(content)
                return Summary(
                    content: content, today: day, seed: seed, generateSeconds: generated.timeIntervalSince(started),
                    loadSeconds: Date().timeIntervalSince(generated))
            }
            print(try Self.json(summary))
        }

        struct Summary: Encodable, Sendable {
            var today: String
            var seed: UInt64
            var tasks: Int
            var reports: Int
            var extensions: Int
            var recommendations: Int
            var unansweredRecommendations: Int
            var statuses: [String: Int]
            var reportStates: [String: Int]
            var generateSeconds: Double
            var loadSeconds: Double

            init(
                content: DemoTasks.Content, today: CivilDate, seed: UInt64, generateSeconds: Double, loadSeconds: Double
            ) {
                self.today = today.description
                self.seed = seed
                tasks = content.tasks.count
                reports = content.reports.count
                extensions = content.extensions.count
                recommendations = content.recommendations.count
                unansweredRecommendations = content.recommendations.count(where: { !$0.isAnswered })
                statuses = Dictionary(grouping: content.tasks, by: { $0.status(today: today).rawValue })
                    .mapValues(\.count)
                reportStates = Dictionary(grouping: content.reports, by: \.state.rawValue).mapValues(\.count)
                self.generateSeconds = (generateSeconds * 100).rounded() / 100
                self.loadSeconds = (loadSeconds * 100).rounded() / 100
            }
        }

        static func json(_ value: some Encodable) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }
}
