import MandateCore

/// A national-scale task load for benchmarks: tasks led by the real communes, provinces and
/// ministries, their progress reports, extensions and a few hundred recommendations.
///
/// Deterministic: the same options give the same content. Dated relative to `today` and never
/// after it. Everything is marked illustrative.
public enum TaskLoad {
    public struct Options: Sendable, Hashable {
        public var tasks: Int
        public var reports: Int
        public var recommendations: Int
        public var seed: UInt64
        public var today: CivilDate

        public init(tasks: Int, reports: Int, recommendations: Int = 400, seed: UInt64 = 1, today: CivilDate) {
            self.tasks = tasks
            self.reports = reports
            self.recommendations = recommendations
            self.seed = seed
            self.today = today
        }
    }

    /// Lead units by kind, as the programme spreads its tasks.
    static let leadShares: [(UnitKind, Double)] = [(.commune, 0.60), (.province, 0.27), (.ministry, 0.12)]
    static let deadlineDays = [30, 60, 90, 120, 180, 270, 365, 540]
    static let note = "Dữ liệu thử tải, minh họa / synthetic load, illustrative"

    /// (verbs, objects) that make sense together; as `bench/generate.py` writes them.
    static let phrases: [([String], [String])] = [
        (
            ["Xây dựng", "Triển khai", "Nâng cấp", "Vận hành", "Tích hợp"],
            [
                "hệ thống quản lý văn bản điều hành", "cổng dịch vụ công", "nền tảng chia sẻ dữ liệu",
                "hệ thống thông tin báo cáo", "trung tâm điều hành thông minh (IOC)", "ứng dụng công dân số",
                "phần mềm một cửa điện tử",
            ]
        ),
        (
            ["Số hóa", "Chuẩn hóa", "Kết nối", "Rà soát", "Làm sạch"],
            [
                "cơ sở dữ liệu hộ tịch", "dữ liệu đất đai", "hồ sơ sức khỏe điện tử", "dữ liệu an sinh xã hội",
                "dữ liệu doanh nghiệp", "hồ sơ thủ tục hành chính",
            ]
        ),
        (
            ["Đào tạo", "Bồi dưỡng", "Tập huấn"],
            [
                "kỹ năng số cho cán bộ, công chức", "kỹ năng số cho người dân",
                "đội ngũ chuyên trách chuyển đổi số", "tổ công nghệ số cộng đồng",
            ]
        ),
        (
            ["Ban hành", "Rà soát", "Đánh giá"],
            [
                "kế hoạch chuyển đổi số", "quy chế khai thác, sử dụng dữ liệu",
                "cơ chế thử nghiệm có kiểm soát (sandbox)", "đề án phát triển hạ tầng số",
            ]
        ),
    ]

    static let recommendationTopics = [
        "Đề nghị ban hành hướng dẫn chuẩn dữ liệu danh mục dùng chung",
        "Đề nghị bố trí kinh phí hạ tầng số cho xã vùng sâu, vùng xa",
        "Đề nghị hướng dẫn kết nối cơ sở dữ liệu với Nền tảng chia sẻ dữ liệu quốc gia",
        "Đề nghị hỗ trợ đào tạo cán bộ chuyên trách chuyển đổi số cấp xã",
        "Đề nghị làm rõ thẩm quyền phê duyệt dự án công nghệ thông tin",
    ]

    /// The load over the active `units` (the committee, ministries, provinces and communes).
    public static func content(units: [OrgUnit], options: Options) -> DemoTasks.Content {
        let active = units.filter(\.active)
        guard active.contains(where: { $0.kind == .ministry || $0.kind == .committee }) else {
            return DemoTasks.Content(tasks: [], reports: [], extensions: [], recommendations: [])
        }
        var generator = Generator(units: active, options: options)
        return generator.build()
    }

    /// A seeded stream of numbers.
    struct Random {
        var source: SplitMix64

        mutating func uniform() -> Double { source.nextUniform() }
        /// A whole number in `range`.
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(source.next() % UInt64(range.upperBound - range.lowerBound + 1))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
        mutating func chance(_ p: Double) -> Bool { uniform() < p }
    }

    /// Splits `total` over `weights` in proportion, exactly (largest remainder).
    static func allocate(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let shares = weights.map { Double(total) * $0 / sum }
        var counts = shares.map { Int($0) }
        let order = shares.indices.sorted {
            (shares[$0] - Double(counts[$0]), $1) > (shares[$1] - Double(counts[$1]), $0)
        }
        for index in order.prefix(total - counts.reduce(0, +)) { counts[index] += 1 }
        return counts
    }
}
