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
        name: "ranking-reproduction", titleVi: "Tính lại bảng xếp hạng đã công bố",
        titleEn: "Recomputing the published rankings",
        columns: [
            column("method", "text", "Mã phương pháp", "Method id"),
            column("period", "text", "Kỳ", "Period"),
            column("version", "integer", "Lần công bố", "Publication version"),
            column("previous_period", "text", "Kỳ so sánh", "Period compared with"),
            column(
                "input_digest", "text", "SHA-256 của dữ liệu đầu vào (tệp inputs_file)",
                "SHA-256 of the inputs (the inputs_file)"),
            column(
                "method_file", "text", "Đường dẫn tải phương pháp như đã áp dụng (JSON)",
                "Path of the method as applied (JSON)"),
            column(
                "inputs_file", "text", "Đường dẫn tải dữ liệu đầu vào (CSV indicator,unit,period,value)",
                "Path of the inputs (CSV indicator,unit,period,value)"),
            column(
                "units_file", "text", "Đường dẫn tải danh sách đơn vị được xếp hạng (CSV code,kind)",
                "Path of the units ranked (CSV code,kind)"),
            column(
                "command", "text", "Lệnh mandate rank tính lại bảng xếp hạng từ ba tệp, lưu theo tên trong lệnh",
                "The mandate rank command that recomputes the ranking from the three files, saved under the names it uses"
            ),
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

    /// The page's list of published rankings to recompute, in `language`.
    static func reproductionItems(_ store: Store, _ language: Language) async throws -> [[String: Any]] {
        try await reproductions(store).map { ranking, reproduction in
            [
                "name": language == .vi ? ranking.method.nameVi : ranking.method.nameEn,
                "methodId": reproduction.methodId, "period": reproduction.period, "version": reproduction.version,
                "id": "recompute-\(reproduction.methodId)-\(reproduction.period)-v\(reproduction.version)",
                "previousPeriod": reproduction.previousPeriod ?? "", "digest": reproduction.inputDigest,
                "href": "/rankings/\(reproduction.methodId)/\(reproduction.period)?version=\(reproduction.version)",
                "methodHref": reproduction.method.path, "methodFile": reproduction.method.name,
                "inputsHref": reproduction.inputs.path, "inputsFile": reproduction.inputs.name,
                "unitsHref": reproduction.units.path, "unitsFile": reproduction.units.name,
                "command": reproduction.command,
            ]
        }
    }
}
