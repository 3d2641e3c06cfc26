import MandateCore

/// The demo programme: Resolution 57-NQ/TW with the seven orientations for 2026 of Notice
/// 17-TB/CQTTBCĐ (29 December 2025), the tasks those documents set for every ministry and province,
/// and illustrative tasks, reports, extensions and recommendations so that every page has
/// something to show. Everything not taken from the documents is marked illustrative.
public enum DemoTasks {
    public static let programme = Programme(
        code: "NQ57",
        nameVi:
            "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        nameEn:
            "Resolution 57-NQ/TW on breakthroughs in science, technology, innovation and national digital transformation",
        orientations: [
            Orientation(
                number: 1, titleVi: "Hành động đột phá, lan tỏa kết quả: chuyển từ kế hoạch sang mục tiêu và sản phẩm",
                titleEn: "Breakthrough action, spreading results: from plans to goals and products"),
            Orientation(
                number: 2, titleVi: "Nâng cao vai trò của cấp ủy và người đứng đầu",
                titleEn: "A stronger role for Party committees and heads of agencies"),
            Orientation(
                number: 3,
                titleVi:
                    "Tập trung chỉ đạo nhiệm vụ trọng tâm: hạ tầng, nền tảng, cơ sở dữ liệu, công nghệ chiến lược, nhân lực",
                titleEn: "Key tasks: infrastructure, platforms, databases, strategic technologies, human resources"),
            Orientation(
                number: 4, titleVi: "Phát triển ứng dụng, sản phẩm cụ thể phục vụ người dân và doanh nghiệp",
                titleEn: "Concrete applications and products serving people and businesses"),
            Orientation(
                number: 5, titleVi: "Tập trung nguồn lực cho công nghệ chiến lược và thương mại hóa sản phẩm",
                titleEn: "Resources for strategic technologies and commercialisation"),
            Orientation(
                number: 6, titleVi: "Bảo đảm an toàn thông tin, an ninh mạng và chủ quyền số",
                titleEn: "Information security, cybersecurity and digital sovereignty"),
            Orientation(number: 7, titleVi: "Kiên quyết chống lãng phí", titleEn: "Resolutely combat waste"),
        ],
        legalBasis: LegalBasis(
            title:
                "Nghị quyết của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            number: "57-NQ/TW", date: CivilDate(iso: "2024-12-22")!),
        startYear: 2025, endYear: 2030)

    /// What the demo loads, in one transaction.
    public struct Content: Sendable {
        public var tasks: [TaskRecord]
        public var reports: [TaskReport]
        public var extensions: [DeadlineExtension]
        public var recommendations: [Recommendation]

        public init(
            tasks: [TaskRecord], reports: [TaskReport], extensions: [DeadlineExtension],
            recommendations: [Recommendation]
        ) {
            self.tasks = tasks
            self.reports = reports
            self.extensions = extensions
            self.recommendations = recommendations
        }
    }

    static let illustrativeNote = "Minh họa / illustrative"

    /// Builds the demo for `units` as of `today`: no fact is dated after it.
    public static func content(units: [(code: String, kind: UnitKind)], today: CivilDate) -> Content {
        var builder = Builder(today: today)
        let ministries = units.filter { $0.kind == .ministry }.map(\.code)
        let provinces = units.filter { $0.kind == .province }.map(\.code)
        let central = ministries + provinces
        for unit in central {
            // Notice 17-TB: 2026 work programmes before 10 January 2026.
            builder.task(
                code: "NQ57-CTCT-\(unit)",
                title: "Ban hành chương trình, kế hoạch công tác năm 2026 thực hiện Nghị quyết 57",
                deliverable: "Chương trình công tác năm 2026 được ban hành", orientation: 1, lead: unit,
                start: "2025-12-29", deadline: "2026-01-10", illustrative: false)
            // Notice 17-TB: the complete database catalogue in the first quarter of 2026.
            builder.task(
                code: "NQ57-CSDL-\(unit)", title: "Hoàn thiện danh mục cơ sở dữ liệu của bộ, ngành, địa phương",
                deliverable: "Danh mục cơ sở dữ liệu đầy đủ, đúng, đủ, sạch, sống", orientation: 3, lead: unit,
                start: "2026-01-01", deadline: "2026-03-31", illustrative: false)
        }
        // Tasks named in the documents whose deadlines the documents do not give: illustrative dates.
        builder.task(
            code: "NQ57-CNCL-LOTRINH", title: "Xây dựng lộ trình phát triển công nghệ chiến lược giai đoạn 2026–2031",
            deliverable: "Lộ trình công nghệ chiến lược 2026–2031, phân công bộ chủ trì và phối hợp", orientation: 3,
            lead: "BKHCN", coordinating: ["BCT", "BQP", "BCA", "BGDDT"], start: "2026-01-15", deadline: "2026-06-30",
            illustrative: true)
        builder.task(
            code: "NQ57-NL-KYSU", title: "Đề án đào tạo kỹ sư trí tuệ nhân tạo, bán dẫn và an ninh mạng",
            deliverable: "Đề án được phê duyệt, chỉ tiêu đào tạo theo năm", orientation: 3, lead: "BGDDT",
            coordinating: ["BKHCN", "BCA"], start: "2026-02-01", deadline: today.adding(days: 20).description,
            illustrative: true)
        builder.task(
            code: "NQ57-DVC-TOANTRINH",
            title: "Cung cấp dịch vụ công trực tuyến toàn trình cho các thủ tục đủ điều kiện",
            deliverable: "Danh mục thủ tục cung cấp toàn trình trên Cổng Dịch vụ công quốc gia", orientation: 4,
            lead: "VPCP", coordinating: ["BCA", "01", "79"], start: "2026-01-15",
            deadline: today.adding(days: 5).description,
            illustrative: true)
        builder.task(
            code: "NQ57-ANM-CHITHI",
            title: "Triển khai Chỉ thị bảo đảm an ninh mạng, an toàn dữ liệu trong hệ thống chính trị",
            deliverable: "Kế hoạch triển khai và báo cáo đánh giá an ninh mạng", orientation: 6, lead: "BCA",
            start: "2026-02-01", deadline: "2026-09-30", illustrative: true)
        // Illustrative provincial tasks with deadlines around today.
        for (index, unit) in provinces.enumerated() {
            let offset = [-45, -12, 3, 6, 18, 27, 60, 120][index % 8]
            builder.task(
                code: "MH-BR-\(unit)", title: "Phủ sóng băng rộng di động đến 100% thôn, bản",
                deliverable: "Báo cáo phủ sóng có danh sách thôn, bản", orientation: 3, lead: unit,
                start: today.adding(days: offset - 200).description, deadline: today.adding(days: offset).description,
                illustrative: true)
            builder.task(
                code: "MH-NTS-\(unit)", title: "Vận hành nền tảng số dùng chung cấp xã",
                deliverable: "Nền tảng vận hành tại 100% xã, phường", orientation: 4, lead: unit,
                coordinating: ["BKHCN"], start: today.adding(days: -150).description,
                deadline: today.adding(days: [-20, 9, 25, 40][index % 4]).description, illustrative: true)
        }
        builder.recommendations(provinces: provinces, ministries: ministries)
        return builder.content
    }

    struct Builder {
        let today: CivilDate
        var content = Content(tasks: [], reports: [], extensions: [], recommendations: [])
        var sequence = 0

        init(today: CivilDate) {
            self.today = today
        }

        mutating func nextId(_ prefix: String) -> String {
            sequence += 1
            return "demo-\(prefix)-\(sequence)"
        }

        func instant(_ day: CivilDate, hour: Int = 9) -> String {
            "\(day)T\(hour < 10 ? "0" : "")\(hour):00:00.000Z"
        }

        mutating func task(
            code: String, title: String, deliverable: String, orientation: Int, lead: String,
            coordinating: [String] = [], start: String, deadline: String, illustrative: Bool
        ) {
            guard let startDay = CivilDate(iso: start), let deadlineDay = CivilDate(iso: deadline) else { return }
            let task = ProgrammeTask(
                code: code, title: title, description: illustrative ? illustrativeNote : "", deliverable: deliverable,
                programme: "NQ57", orientation: orientation, leadUnit: lead, coordinatingUnits: coordinating,
                start: min(startDay, deadlineDay), deadline: deadlineDay, origin: .assigned, illustrative: illustrative,
                createdAt: instant(min(startDay, today)))
            var reports: [TaskReport] = []
            var extensions: [DeadlineExtension] = []
            let seed = DemoIndicators.spread("task", code)
            // Outcomes: accepted on time, accepted late, returned, submitted, a draft, nothing.
            let outcome =
                seed < 0.5 ? 0 : seed < 0.65 ? 1 : seed < 0.73 ? 2 : seed < 0.8 ? 3 : seed < 0.9 ? 4 : 5
            func add(
                _ percent: Int, created: CivilDate, submitted: CivilDate?, decided: CivilDate?, state: ReportState,
                unit: String? = nil
            ) {
                guard created <= today, submitted.map({ $0 <= today }) ?? true, decided.map({ $0 <= today }) ?? true
                else { return }
                reports.append(
                    TaskReport(
                        id: nextId("report"), task: code, unit: unit ?? lead, percent: percent,
                        narrative: percent == 100
                            ? "Đã hoàn thành sản phẩm: \(deliverable). (\(illustrativeNote))"
                            : "Đang triển khai, đạt khoảng \(percent)%. (\(illustrativeNote))",
                        links: [], state: state, createdBy: nil, createdAt: instant(created),
                        submittedAt: submitted.map { instant($0, hour: 10) },
                        decidedAt: decided.map { instant($0, hour: 15) },
                        decisionComment: state == .returned
                            ? "Đề nghị bổ sung số liệu minh chứng. (\(illustrativeNote))" : nil,
                        illustrative: true))
            }
            let d = deadlineDay
            // Monthly progress from the start, submitted and accepted, while the task runs.
            var month = startDay.adding(days: 25)
            var percent = 20
            while month < min(d.adding(days: -10), today) && percent < 90 {
                add(
                    percent, created: month, submitted: month.adding(days: 1), decided: month.adding(days: 4),
                    state: .accepted)
                month = month.adding(days: 30)
                percent += 20
            }
            switch outcome {
            case 0:
                add(
                    100, created: d.adding(days: -6), submitted: d.adding(days: -3), decided: d.adding(days: 5),
                    state: .accepted)
            case 1:
                if seed < 0.58 {
                    // An extension granted in time, then delivered within it.
                    let grantedOn = d.adding(days: -5)
                    if grantedOn <= today {
                        extensions.append(
                            DeadlineExtension(
                                id: nextId("extension"), task: code, unit: lead, requestedDeadline: d.adding(days: 30),
                                reason: "Chờ kết quả rà soát của các đơn vị trực thuộc. (\(illustrativeNote))",
                                requestedBy: nil,
                                requestedAt: instant(d.adding(days: -12)), state: .granted,
                                decidedAt: instant(grantedOn)))
                    }
                }
                add(
                    100, created: d.adding(days: 12), submitted: d.adding(days: 14), decided: d.adding(days: 20),
                    state: .accepted)
            case 2:
                add(
                    100, created: d.adding(days: -4), submitted: d.adding(days: -2), decided: d.adding(days: 3),
                    state: .returned)
            case 3:
                add(100, created: d.adding(days: -3), submitted: d.adding(days: -1), decided: nil, state: .submitted)
            case 4:
                add(80, created: d.adding(days: -8), submitted: nil, decided: nil, state: .draft)
                if let coordinator = coordinating.first {
                    add(
                        50, created: d.adding(days: -9), submitted: d.adding(days: -8), decided: d.adding(days: -6),
                        state: .accepted, unit: coordinator)
                }
                extensions.append(
                    DeadlineExtension(
                        id: nextId("extension"), task: code, unit: lead, requestedDeadline: d.adding(days: 45),
                        reason: "Thiếu nhân lực chuyên trách công nghệ thông tin. (\(illustrativeNote))",
                        requestedBy: nil,
                        requestedAt: instant(min(d.adding(days: -7), today))))
            default:
                break
            }
            let progress = TaskProgress.of(task, reports: reports, extensions: extensions)
            content.tasks.append(TaskRecord(task: task, progress: progress))
            content.reports += reports
            content.extensions += extensions
        }

        mutating func recommendations(provinces: [String], ministries: [String]) {
            let topics = [
                ("Đề nghị ban hành hướng dẫn chuẩn dữ liệu danh mục dùng chung", "BCD"),
                ("Đề nghị bố trí kinh phí hạ tầng số cho xã vùng sâu, vùng xa", "BTC"),
                ("Đề nghị hướng dẫn kết nối cơ sở dữ liệu với Nền tảng chia sẻ dữ liệu quốc gia", "BCA"),
                ("Đề nghị hỗ trợ đào tạo cán bộ chuyên trách chuyển đổi số cấp xã", "BNV"),
            ]
            for (index, unit) in provinces.enumerated() where index % 3 == 0 {
                let (title, to) = topics[index % topics.count]
                let raised = today.adding(days: -(10 + index * 3))
                let answered = index % 2 == 0
                content.recommendations.append(
                    Recommendation(
                        id: nextId("recommendation"), fromUnit: unit, toUnit: to,
                        title: "\(title) (\(illustrativeNote))",
                        body: illustrativeNote, due: raised.adding(days: 30), raisedBy: nil, raisedAt: instant(raised),
                        signedOffAt: instant(raised),
                        answer: answered ? "Đã tiếp thu, sẽ ban hành hướng dẫn. (\(illustrativeNote))" : nil,
                        answeredAt: answered ? instant(raised.adding(days: 12)) : nil, illustrative: true))
            }
            if let most = ministries.first(where: { $0 == "BKHCN" }) {
                let raised = today.adding(days: -40)
                content.recommendations.append(
                    Recommendation(
                        id: nextId("recommendation"), fromUnit: most, toUnit: "01",
                        title: "Đề nghị cung cấp danh sách đề xuất đặt hàng công nghệ chiến lược (\(illustrativeNote))",
                        body: illustrativeNote, due: raised.adding(days: 20), raisedBy: nil, raisedAt: instant(raised),
                        signedOffAt: instant(raised), illustrative: true))
            }
        }
    }
}
