/// A programme of the committee (e.g. Resolution 57-NQ/TW) and the orientations its tasks fall under.
public struct Programme: Codable, Sendable, Hashable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var orientations: [Orientation]
    /// The document that founds it (nil for a programme stored before programmes had one).
    public var legalBasis: LegalBasis?
    /// The first and last years it covers.
    public var startYear: Int?
    public var endYear: Int?
    /// When the committee archived it: it takes no new tasks, and what it has stays public.
    public var archivedAt: String?

    public init(
        code: String, nameVi: String, nameEn: String, orientations: [Orientation], legalBasis: LegalBasis? = nil,
        startYear: Int? = nil, endYear: Int? = nil, archivedAt: String? = nil
    ) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.orientations = orientations
        self.legalBasis = legalBasis
        self.startYear = startYear
        self.endYear = endYear
        self.archivedAt = archivedAt
    }

    /// The name in `language`.
    public func name(in language: Language) -> String {
        language == .vi ? nameVi : nameEn
    }

    /// Each programme that takes new tasks, with its orientation numbers: what a new task or a
    /// work plan is checked against (`TaskDraft.task`).
    public static func open(_ programmes: [Programme]) -> [String: Set<Int>] {
        Dictionary(
            programmes.filter { $0.archivedAt == nil }.map { ($0.code, Set($0.orientations.map(\.number))) },
            uniquingKeysWith: { first, _ in first })
    }
}

/// The resolution, decision or plan a programme carries out: its title, number and date.
public struct LegalBasis: Codable, Sendable, Hashable {
    /// What the document is, in its own words ("Nghị quyết của Bộ Chính trị về …").
    public var title: String
    /// Its number and symbol ("57-NQ/TW").
    public var number: String
    public var date: CivilDate

    public init(title: String, number: String, date: CivilDate) {
        self.title = title
        self.number = number
        self.date = date
    }
}

/// One numbered orientation of a programme, e.g. the seven orientations for 2026 of Notice 17-TB.
public struct Orientation: Codable, Sendable, Hashable {
    public var number: Int
    public var titleVi: String
    public var titleEn: String

    public init(number: Int, titleVi: String, titleEn: String) {
        self.number = number
        self.titleVi = titleVi
        self.titleEn = titleEn
    }

    /// The title in `language` (the Vietnamese one where no English one was given).
    public func title(in language: Language) -> String {
        language == .en && !titleEn.isEmpty ? titleEn : titleVi
    }
}

/// A programme as the committee defines or edits it, through the API or the programme form.
public struct ProgrammeDraft: Codable, Sendable, Hashable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var legalBasis: LegalBasisDraft
    public var startYear: Int
    public var endYear: Int
    public var orientations: [Orientation]

    public struct LegalBasisDraft: Codable, Sendable, Hashable {
        public var title: String
        public var number: String
        public var date: String

        public init(title: String, number: String, date: String) {
            self.title = title
            self.number = number
            self.date = date
        }
    }

    public init(
        code: String, nameVi: String, nameEn: String, legalBasis: LegalBasisDraft, startYear: Int, endYear: Int,
        orientations: [Orientation]
    ) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.legalBasis = legalBasis
        self.startYear = startYear
        self.endYear = endYear
        self.orientations = orientations
    }

    /// The years a programme may cover.
    public static let years = 2000...2100

    /// The programme this draft makes, or every problem with it (field and reason, in both
    /// languages). `used` are the orientation numbers its tasks already name: an edit keeps them.
    public func programme(used: Set<Int> = [], archivedAt: String? = nil) throws(ValidationFailure) -> Programme {
        var problems = FieldProblems()
        let code = code.trimmingWhitespace()
        if !TaskCode.isValid(code) {
            problems.fail(
                "code", "a programme code has 1 to 40 letters, digits, '.', '-' or '_'",
                "mã chương trình có 1 đến 40 chữ cái, chữ số, '.', '-' hoặc '_'")
        }
        let nameVi = HumanText.cleaned(nameVi)
        let nameEn = HumanText.cleaned(nameEn)
        for (field, name) in [("nameVi", nameVi), ("nameEn", nameEn)] where name.isEmpty || name.count > 300 {
            problems.fail(field, "a name has 1 to 300 characters", "tên có 1 đến 300 ký tự")
        }
        let basisTitle = HumanText.cleaned(legalBasis.title)
        let basisNumber = HumanText.cleaned(legalBasis.number)
        if basisTitle.isEmpty || basisTitle.count > 500 {
            problems.fail(
                "legalBasis.title", "name the document the programme carries out (up to 500 characters)",
                "cần ghi văn bản mà chương trình thực hiện (tối đa 500 ký tự)")
        }
        if basisNumber.isEmpty || basisNumber.count > 100 {
            problems.fail(
                "legalBasis.number", "the document's number is required (up to 100 characters)",
                "cần ghi số, ký hiệu văn bản (tối đa 100 ký tự)")
        }
        let date = problems.day("legalBasis.date", legalBasis.date)
        for (field, year) in [("startYear", startYear), ("endYear", endYear)] where !Self.years.contains(year) {
            problems.fail(
                field, "a year from \(Self.years.lowerBound) to \(Self.years.upperBound)",
                "năm từ \(Self.years.lowerBound) đến \(Self.years.upperBound)")
        }
        if startYear > endYear {
            problems.fail("endYear", "the last year is before the first", "năm kết thúc trước năm bắt đầu")
        }
        var orientations: [Orientation] = []
        for orientation in self.orientations {
            let titleVi = HumanText.cleaned(orientation.titleVi)
            let titleEn = HumanText.cleaned(orientation.titleEn)
            let number = orientation.number
            if !(1...99).contains(number) {
                problems.fail(
                    "orientations", "an orientation's number is 1 to 99, not \(number)",
                    "số định hướng từ 1 đến 99, không phải \(number)")
            } else if orientations.contains(where: { $0.number == number }) {
                problems.fail(
                    "orientations", "orientation \(number) appears twice", "định hướng \(number) xuất hiện hai lần")
            }
            if titleVi.isEmpty || titleVi.count > 500 || titleEn.count > 500 {
                problems.fail(
                    "orientations", "orientation \(number) needs a Vietnamese title (up to 500 characters)",
                    "định hướng \(number) cần tên tiếng Việt (tối đa 500 ký tự)")
            }
            orientations.append(Orientation(number: number, titleVi: titleVi, titleEn: titleEn))
        }
        for number in used.sorted() where !orientations.contains(where: { $0.number == number }) {
            problems.fail(
                "orientations", "tasks fall under orientation \(number); it stays",
                "đã có nhiệm vụ thuộc định hướng \(number); không bỏ được định hướng này")
        }
        guard problems.isEmpty, let date else { throw ValidationFailure(problems.errors) }
        return Programme(
            code: code, nameVi: nameVi, nameEn: nameEn, orientations: orientations.sorted { $0.number < $1.number },
            legalBasis: LegalBasis(title: basisTitle, number: basisNumber, date: date), startYear: startYear,
            endYear: endYear, archivedAt: archivedAt)
    }
}
