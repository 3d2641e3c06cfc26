import MandateCore
import MandateStore

extension OpenData {
    /// Every published ranking (each version), newest first, with what recomputes it offline.
    static func reproductions(_ store: Store) async throws -> [(ranking: PublishedRanking, RankingReproduction)] {
        var items: [(ranking: PublishedRanking, RankingReproduction)] = []
        for summary in try await store.rankings.publications() {
            guard
                let published = try await store.rankings.published(
                    methodId: summary.methodId, period: summary.period, version: summary.version)
            else { continue }
            items.append((published, RankingReproduction(published)))
        }
        return items
    }

    /// One row per published ranking: its three files and the `mandate rank` command that reads them.
    static let rankingReproduction = OpenDataset(
        name: "ranking-reproduction",
        columns: [
            column("method", "text"),
            column("period", "text"),
            column("version", "integer"),
            column("previous_period", "text"),
            column("input_digest", "text"),
            column("method_file", "text"),
            column("inputs_file", "text"),
            column("units_file", "text"),
            column("command", "text"),
        ],
        reads: [.rankings],
        rows: { source in
            try await reproductions(source.store).map { _, reproduction in
                [
                    .text(reproduction.methodId), .text(reproduction.period), .integer(reproduction.version),
                    OpenValue(reproduction.previousPeriod), .text(reproduction.inputDigest),
                    .text(reproduction.method.path), .text(reproduction.inputs.path), .text(reproduction.units.path),
                    .text(reproduction.command),
                ]
            }
        })
}
