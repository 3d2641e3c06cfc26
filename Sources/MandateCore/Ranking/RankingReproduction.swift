/// How anyone recomputes a published ranking offline: the three files to download (the method as
/// frozen, the inputs, the units the ranking lists) and the `mandate rank` command that reads them
/// and prints the published result and digest.
public struct RankingReproduction: Codable, Sendable, Equatable {
    /// A file to download: where the server serves it and the name it is saved under.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var name: String
    }

    public var methodId: String
    public var period: String
    public var version: Int
    public var previousPeriod: String?
    public var inputDigest: String
    public var method: File
    public var inputs: File
    public var units: File
    /// The command, with the files under their names in the current directory.
    public var command: String

    public init(_ ranking: PublishedRanking) {
        methodId = ranking.methodId
        period = ranking.period
        version = ranking.version
        previousPeriod = ranking.result.previousPeriod
        inputDigest = ranking.inputDigest
        let base = "/api/v1/rankings/\(ranking.methodId)/\(ranking.period)"
        let stem = "\(ranking.methodId)-\(ranking.period)-v\(ranking.version)"
        func file(_ part: String, _ suffix: String) -> File {
            File(path: "\(base)\(part)?version=\(ranking.version)", name: "\(stem)-\(suffix)")
        }
        method = file("/method", "method.json")
        inputs = file("/inputs", "inputs.csv")
        units = file("/units", "units.csv")
        // The period and the previous period are written out even where they are the command's
        // defaults, so that the command says what it recomputes.
        var words = [
            "mandate", "rank", "--method", method.name, "--data", inputs.name, "--units", units.name, "--period",
            period,
        ]
        if let previousPeriod { words += ["--previous", previousPeriod] }
        command = words.joined(separator: " ")
    }
}
