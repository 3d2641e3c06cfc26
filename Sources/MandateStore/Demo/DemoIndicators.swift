import MandateCore

/// The demo's indicators: those the programme's public statements name, and a DTI-like set
/// (digital government, digital economy, digital society) for provinces and ministries.
///
/// Every value is illustrative except the published estimate of the contribution to GDP (16.4% in
/// 2025). Illustrative indicators are flagged (`illustrative`), and their values say so in their comment.
public enum DemoIndicators {
    public static let illustrativeComment = "Số liệu minh họa / illustrative"
    static let central: [UnitKind] = [.ministry, .province]

    public static let indicators: [Indicator] = [
        Indicator(
            code: "R57_GDP", nameVi: "Đóng góp của khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào GDP",
            nameEn: "Contribution of science, technology, innovation and digital transformation to GDP",
            unitOfMeasure: "%", valueType: .percent, frequency: .yearly, appliesTo: [.committee], rollup: .none,
            dueDays: 90),
        Indicator(
            code: "R57_BUDGET_ST", nameVi: "Tỷ lệ chi ngân sách nhà nước cho khoa học và công nghệ",
            nameEn: "Share of state budget expenditure on science and technology", unitOfMeasure: "%",
            valueType: .percent, frequency: .yearly, appliesTo: [.committee] + central, rollup: .mean,
            targets: [IndicatorTarget(year: 2025, value: 3), IndicatorTarget(year: 2026, value: 3)], dueDays: 90,
            illustrative: true),
        Indicator(
            code: "DVC_TS", nameVi: "Số dịch vụ công trực tuyến", nameEn: "Online public services",
            unitOfMeasure: "dịch vụ", valueType: .number, frequency: .quarterly, appliesTo: central, rollup: .sum,
            illustrative: true),
        Indicator(
            code: "DVC_TT_SO", nameVi: "Số dịch vụ công trực tuyến toàn trình",
            nameEn: "End-to-end online public services", unitOfMeasure: "dịch vụ", valueType: .number,
            frequency: .quarterly, appliesTo: central, rollup: .sum, illustrative: true),
        Indicator(
            code: "DVC_TT", nameVi: "Tỷ lệ dịch vụ công trực tuyến toàn trình",
            nameEn: "Share of end-to-end online public services", unitOfMeasure: "%", valueType: .percent,
            frequency: .quarterly, appliesTo: central, rollup: .weightedMean(by: "DVC_TS"),
            targets: [IndicatorTarget(year: 2026, value: 80), IndicatorTarget(year: 2030, value: 100)],
            illustrative: true),
        Indicator(
            code: "HT_BANGRONG", nameVi: "Xã có kết nối băng rộng cố định", nameEn: "Commune with fixed broadband",
            unitOfMeasure: "có/không", valueType: .yesno, frequency: .yearly, appliesTo: [.commune], rollup: .mean,
            targets: [IndicatorTarget(year: 2030, value: 1)], illustrative: true),
        Indicator(
            code: "NL_KYNANGSO_XA", nameVi: "Cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số",
            nameEn: "Commune officials trained in digital skills", unitOfMeasure: "người", valueType: .number,
            frequency: .yearly, appliesTo: [.commune], rollup: .sum, illustrative: true),
        Indicator(
            code: "DL_CSDLQG", nameVi: "Số cơ sở dữ liệu quốc gia hoàn thành", nameEn: "National databases completed",
            unitOfMeasure: "CSDL", valueType: .number, frequency: .yearly, appliesTo: [.ministry], rollup: .sum,
            illustrative: true),
        Indicator(
            code: "NL_KYSU", nameVi: "Kỹ sư được đào tạo về AI, bán dẫn và an ninh mạng",
            nameEn: "Engineers trained in AI, semiconductors and cybersecurity", unitOfMeasure: "người",
            valueType: .number, frequency: .yearly, appliesTo: central, rollup: .sum, illustrative: true),
        Indicator(
            code: "NS_GIAO", nameVi: "Kế hoạch vốn ngân sách được giao", nameEn: "Budget allocated",
            unitOfMeasure: "tỷ đồng", valueType: .number, frequency: .quarterly, appliesTo: central, rollup: .sum,
            illustrative: true),
        Indicator(
            code: "NS_GIAINGAN", nameVi: "Tỷ lệ giải ngân vốn ngân sách", nameEn: "Budget disbursement rate",
            unitOfMeasure: "%", valueType: .percent, frequency: .quarterly, appliesTo: central,
            rollup: .weightedMean(by: "NS_GIAO"), targets: [IndicatorTarget(year: 2026, value: 95)],
            illustrative: true),
        Indicator(
            code: "DTI_CQS", nameVi: "Chỉ số chuyển đổi số: chính quyền số", nameEn: "DTI pillar: digital government",
            unitOfMeasure: "điểm (0–1)", valueType: .number, frequency: .yearly, appliesTo: central, rollup: .mean,
            illustrative: true),
        Indicator(
            code: "DTI_KTS", nameVi: "Chỉ số chuyển đổi số: kinh tế số", nameEn: "DTI pillar: digital economy",
            unitOfMeasure: "điểm (0–1)", valueType: .number, frequency: .yearly, appliesTo: central, rollup: .mean,
            illustrative: true),
        Indicator(
            code: "DTI_XHS", nameVi: "Chỉ số chuyển đổi số: xã hội số", nameEn: "DTI pillar: digital society",
            unitOfMeasure: "điểm (0–1)", valueType: .number, frequency: .yearly, appliesTo: central, rollup: .mean,
            illustrative: true),
    ]

    public static let rules: [ValidationRule] =
        ["DVC_TS", "DVC_TT_SO", "DL_CSDLQG", "NL_KYSU", "NL_KYNANGSO_XA", "NS_GIAO"].map { code in
            .range(
                "\(code)_GE_0", code, minimum: 0,
                message: "Số đếm không âm / a count is not negative")
        } + [
            .compare(
                "DVC_TT_LE_TS", "DVC_TT_SO", .lessOrEqual, "DVC_TS",
                message: "Số dịch vụ toàn trình không vượt quá tổng số dịch vụ công trực tuyến / "
                    + "end-to-end online services cannot exceed all online public services"),
            .range(
                "DTI_CQS_0_1", "DTI_CQS", minimum: 0, maximum: 1, message: "Điểm DTI từ 0 đến 1 / a DTI score is 0 to 1"
            ),
            .range(
                "DTI_KTS_0_1", "DTI_KTS", minimum: 0, maximum: 1, message: "Điểm DTI từ 0 đến 1 / a DTI score is 0 to 1"
            ),
            .range(
                "DTI_XHS_0_1", "DTI_XHS", minimum: 0, maximum: 1, message: "Điểm DTI từ 0 đến 1 / a DTI score is 0 to 1"
            ),
        ]

    /// A value submitted by the demo, on time: a week after its period ended.
    public struct Batch: Sendable {
        public var period: Period
        public var inputs: [DataValueInput]
        public var at: String
    }

    /// Values for 2024 to 2026, one batch per period: every ministry and province, the committee's
    /// national figures, and the communes of two provinces for broadband and digital skills, so
    /// that roll-ups show. Periods that ended before `today`, and the current year's full-year
    /// estimates; and the DTI of the former provinces for 2023, which their successors' series
    /// carry on (lineage).
    public static func batches(
        units: [(code: String, kind: UnitKind, parent: String?, active: Bool)], today: CivilDate
    ) -> [Batch] {
        let central = units.filter { ($0.kind == .ministry || $0.kind == .province) && $0.active }
        let communes = units.filter { $0.kind == .commune && ($0.parent == "01" || $0.parent == "48") }
        let committee = units.filter { $0.kind == .committee }
        let former = units.filter { $0.kind == .province && !$0.active }
        var batches: [Batch] = []
        if let year2023 = Period.all(of: .yearly, in: 2023).first, !former.isEmpty {
            let inputs = former.flatMap { unit in
                ["DTI_CQS", "DTI_KTS", "DTI_XHS"].map { code in
                    DataValueInput(
                        key: DataValueKey(indicator: code, unit: unit.code, period: year2023.id),
                        value: ValueText.format(round3(0.25 + spread(code, unit.code) * 0.4)),
                        comment: illustrativeComment, origin: .single)
                }
            }
            batches.append(Batch(period: year2023, inputs: inputs, at: "2024-01-08T02:00:00.000Z"))
        }
        for frequency in [Frequency.yearly, .quarterly] {
            for year in 2024...2026 {
                // A year under way has its full-year estimate; a quarter is reported once it ends.
                for period in Period.all(of: frequency, in: year)
                where period.end < today || (frequency == .yearly && period.start < today) {
                    var inputs: [DataValueInput] = []
                    func add(_ code: String, _ unit: String, _ value: Double, comment: String = illustrativeComment) {
                        inputs.append(
                            DataValueInput(
                                key: DataValueKey(indicator: code, unit: unit, period: period.id),
                                value: ValueText.format(value), comment: comment, origin: .single))
                    }
                    let step = Double(year - 2024) + Double(period.index - 1) / Double(frequency.periodsPerYear)
                    for indicator in indicators where indicator.frequency == frequency {
                        for unit in central where indicator.appliesTo.contains(unit.kind) {
                            let seed = spread(indicator.code, unit.code)
                            switch indicator.code {
                            case "R57_BUDGET_ST": add(indicator.code, unit.code, round1(1 + seed * 2.5 + step * 0.3))
                            case "DVC_TS": add(indicator.code, unit.code, (200 + seed * 300).rounded())
                            case "DVC_TT_SO":
                                let all = (200 + spread("DVC_TS", unit.code) * 300).rounded()
                                add(
                                    indicator.code, unit.code,
                                    (all * min(0.95, 0.35 + seed * 0.3 + step * 0.1)).rounded())
                            case "DVC_TT":
                                add(indicator.code, unit.code, round1(min(95, 35 + seed * 30 + step * 10)))
                            case "DL_CSDLQG": add(indicator.code, unit.code, (seed * 3 + step).rounded())
                            case "NL_KYSU":
                                add(indicator.code, unit.code, (50 + seed * 400 * (1 + step * 0.4)).rounded())
                            case "NS_GIAO": add(indicator.code, unit.code, (100 + seed * 900).rounded())
                            case "NS_GIAINGAN":
                                add(indicator.code, unit.code, round1(min(100, Double(period.index) * 20 + seed * 15)))
                            case "DTI_CQS", "DTI_KTS", "DTI_XHS":
                                add(indicator.code, unit.code, round3(min(1, 0.3 + seed * 0.4 + step * 0.05)))
                            default: break
                            }
                        }
                    }
                    if frequency == .yearly {
                        for unit in committee {
                            if year == 2025 {
                                add(
                                    "R57_GDP", unit.code, 16.4,
                                    comment: "Ước tính công bố, Thông báo 17-TB/TW / published estimate")
                            }
                            add("R57_BUDGET_ST", unit.code, round1(1.5 + step * 0.6))
                        }
                        for unit in communes {
                            add("HT_BANGRONG", unit.code, spread("HT_BANGRONG", unit.code) < 0.6 + step * 0.15 ? 1 : 0)
                            add(
                                "NL_KYNANGSO_XA", unit.code,
                                (5 + spread("NL_KYNANGSO_XA", unit.code) * 20 * (1 + step * 0.5)).rounded())
                        }
                    }
                    guard !inputs.isEmpty else { continue }
                    let day = period.end < today ? period.end.adding(days: 7) : today.adding(days: -1)
                    let at = day.description + "T02:00:00.000Z"
                    batches.append(Batch(period: period, inputs: inputs, at: at))
                }
            }
        }
        return batches
    }

    /// A stable number in [0, 1) from two codes (FNV-1a), so the demo is the same on every start.
    static func spread(_ first: String, _ second: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (first + "/" + second).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash % 10_000) / 10_000
    }

    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
