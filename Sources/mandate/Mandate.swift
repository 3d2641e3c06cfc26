import ArgumentParser

@main
struct Mandate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mandate",
        abstract: "Monitor and evaluate the delivery of a national programme in real time.",
        subcommands: [
            Serve.self, Migrate.self, Units.self, Users.self, Indicators.self, Import.self, Tasks.self, Rank.self,
            Verify.self,
            Bench.self, BenchData.self,
        ],
        defaultSubcommand: nil
    )
}
