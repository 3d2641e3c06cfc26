import SQLKit

/// An index holding every column of a publication's summary (`SQLRankingRepository.summaries`). A
/// published commune ranking at national scale stores about a megabyte of result and inputs in its
/// row, before the digest and the publication time; without the index SQLite walked those overflow
/// pages for each publication whenever a page listed the latest ones. With it the summaries are read
/// from the index alone.
struct M016RankingSummaries: Migration {
    let name = "016-ranking-summaries"

    func prepare(on db: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await db.create(index: "published_rankings_summary").on("published_rankings")
            .column("method_id").column("period").column("version").column("method_version")
            .column("unit_kind").column("input_digest").column("published_at")
            .run()
    }
}
