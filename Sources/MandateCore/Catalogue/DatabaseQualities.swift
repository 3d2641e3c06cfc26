/// One of the four qualities: met, not met, or unknown, and why, in both languages.
public struct QualityFinding: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case met
        case notMet = "not-met"
        case unknown
    }

    public var state: State
    public var en: String
    public var vi: String

    public init(_ state: State, en: String, vi: String) {
        self.state = state
        self.en = en
        self.vi = vi
    }

    public func reason(in language: Language) -> String { language == .vi ? vi : en }
}

/// The four qualities the programme asks of a database ("correct, sufficient, clean, living"),
/// each computed from the entry and its evidence, never typed. Formulas: docs/CATALOGUE.md.
public struct DatabaseQualities: Codable, Sendable, Hashable {
    public var living: QualityFinding
    public var sufficient: QualityFinding
    public var clean: QualityFinding
    public var correct: QualityFinding

    public init(living: QualityFinding, sufficient: QualityFinding, clean: QualityFinding, correct: QualityFinding) {
        self.living = living
        self.sufficient = sufficient
        self.clean = clean
        self.correct = correct
    }

    public static func of(
        _ entry: CatalogueEntry, _ evidence: QualityEvidence, today: CivilDate
    )
        -> DatabaseQualities
    {
        DatabaseQualities(
            living: living(entry, probes: evidence.probes, today: today),
            sufficient: sufficient(entry, expectedRecords: evidence.expectedRecords),
            clean: clean(evidence.sample),
            correct: correct(evidence.audit))
    }

    public var all: [(name: String, finding: QualityFinding)] {
        [("living", living), ("sufficient", sufficient), ("clean", clean), ("correct", correct)]
    }

    /// How many promised periods late the last update is on `today`: 0 while the next update is
    /// not yet due (up to and including the due day, one period after the last update); then 1
    /// until two periods have passed, and so on. Nil where nothing is promised or nothing was
    /// ever updated.
    public static func periodsLate(_ entry: CatalogueEntry, today: CivilDate) -> Int? {
        guard let step = entry.frequency.step, let last = entry.lastUpdate else { return nil }
        // Late by k periods while today is after the (k)th due day: start just below the answer
        // worked out by whole days or months, then step up to it.
        var late: Int
        switch step {
        case .days(let days): late = max(0, (today.dayNumber - last.dayNumber) / days - 1)
        case .months(let months):
            let elapsed = (today.year * 12 + today.month) - (last.year * 12 + last.month)
            late = max(0, elapsed / months - 2)
        }
        while today > last.adding(step, times: late + 1) { late += 1 }
        return late
    }

    /// Living: updated as often as promised, and every link answering when last probed.
    public static func living(
        _ entry: CatalogueEntry, probes: [String: LinkProbe], today: CivilDate
    )
        -> QualityFinding
    {
        guard let last = entry.lastUpdate else {
            return QualityFinding(.notMet, en: "never updated", vi: "chưa từng được cập nhật")
        }
        let links = entry.distributions.flatMap { [$0.accessURL, $0.downloadURL] }.filter { !$0.isEmpty }
        let failed = links.filter { probes[$0]?.answered == false }
        let unchecked = links.filter { probes[$0] == nil }
        var en: [String] = []
        var vi: [String] = []
        var state = QualityFinding.State.met
        switch (entry.frequency, periodsLate(entry, today: today)) {
        case (.never, _):
            en.append("published once (\(last)); no update is promised")
            vi.append("công bố một lần (\(last)); không cam kết cập nhật")
        case (_, nil):
            state = .unknown
            en.append("last updated \(last), but no update frequency is promised")
            vi.append("cập nhật lần cuối \(last), nhưng chưa cam kết tần suất cập nhật")
        case (let frequency, 0?):
            let due = frequency.step.map { last.adding($0, times: 1) } ?? last
            en.append("updated on time: last \(last), next due by \(due)")
            vi.append("cập nhật đúng hạn: lần cuối \(last), lần tới trước \(due)")
        case (_, let late?):
            state = .notMet
            en.append("late by \(late) period\(late == 1 ? "" : "s") (last updated \(last))")
            vi.append("chậm \(late) kỳ (cập nhật lần cuối \(last))")
        }
        if !failed.isEmpty {
            state = .notMet
            en.append("\(failed.count) link\(failed.count == 1 ? "" : "s") did not answer")
            vi.append("\(failed.count) đường dẫn không phản hồi")
        } else if state == .met, links.isEmpty {
            state = .unknown
            en.append("no distribution to check")
            vi.append("chưa có phân phối để kiểm tra")
        } else if state == .met, !unchecked.isEmpty {
            state = .unknown
            en.append("\(unchecked.count) link\(unchecked.count == 1 ? "" : "s") not yet checked")
            vi.append("\(unchecked.count) đường dẫn chưa được kiểm tra")
        }
        return QualityFinding(state, en: en.joined(separator: "; "), vi: vi.joined(separator: "; "))
    }

    /// The fields an entry must fill to be sufficient, with their names in both languages; each
    /// listed when missing.
    public static func missingFields(_ entry: CatalogueEntry) -> [(field: String, en: String, vi: String)] {
        var missing: [(String, String, String)] = []
        func need(_ present: Bool, _ field: String, _ en: String, _ vi: String) {
            if !present { missing.append((field, en, vi)) }
        }
        need(!entry.nameEn.isEmpty, "nameEn", "English name", "tên tiếng Anh")
        need(!entry.descriptionVi.isEmpty, "descriptionVi", "description", "mô tả")
        need(!entry.legalBasis.document.isEmpty, "legalBasis.document", "legal basis", "căn cứ pháp lý")
        need(!entry.themes.isEmpty, "themes", "theme", "lĩnh vực")
        need(entry.recordCount != nil, "recordCount", "record count", "số bản ghi")
        need(entry.frequency != .unknown, "frequency", "update frequency", "tần suất cập nhật")
        need(entry.lastUpdate != nil, "lastUpdate", "last update", "ngày cập nhật gần nhất")
        need(
            entry.access == .open || !entry.accessBasis.isEmpty, "accessBasis", "access basis",
            "căn cứ hạn chế truy cập")
        need(!entry.distributions.isEmpty, "distributions", "distribution", "phân phối")
        need(
            entry.distributions.allSatisfy { $0.format != nil }, "distributions.format", "format of each distribution",
            "định dạng của mỗi phân phối")
        need(
            entry.access != .open || entry.distributions.allSatisfy { !$0.licence.isEmpty }, "distributions.licence",
            "licence of each open distribution", "giấy phép của mỗi phân phối mở")
        need(!entry.contactEmail.isEmpty, "contactEmail", "contact point", "đầu mối liên hệ")
        return missing
    }

    /// Sufficient: every required field filled, and at least the expected number of records
    /// where the committee declared one.
    public static func sufficient(_ entry: CatalogueEntry, expectedRecords: Int?) -> QualityFinding {
        let missing = missingFields(entry)
        var en: [String] = []
        var vi: [String] = []
        if !missing.isEmpty {
            en.append("missing: " + missing.map(\.en).joined(separator: ", "))
            vi.append("còn thiếu: " + missing.map(\.vi).joined(separator: ", "))
        }
        if let expected = expectedRecords, let count = entry.recordCount, count < expected {
            en.append("\(count) records of \(expected) expected")
            vi.append("\(count) bản ghi trên \(expected) bản ghi dự kiến")
        }
        if en.isEmpty {
            let expected = expectedRecords.map { " (\($0) expected)" } ?? ""
            let expectedVi = expectedRecords.map { " (dự kiến \($0))" } ?? ""
            return QualityFinding(
                .met, en: "every required field filled\(expected)", vi: "đủ các trường bắt buộc\(expectedVi)")
        }
        return QualityFinding(.notMet, en: en.joined(separator: "; "), vi: vi.joined(separator: "; "))
    }

    /// Clean: the latest sample conforms to the declared format and columns, with no duplicate
    /// record.
    public static func clean(_ sample: SampleCheck?) -> QualityFinding {
        guard let sample else {
            return QualityFinding(.unknown, en: "no sample checked yet", vi: "chưa kiểm tra mẫu dữ liệu")
        }
        var en = sample.problems
        var vi = sample.problems.isEmpty ? [] : ["mẫu không đúng định dạng hoặc cấu trúc đã khai báo"]
        if sample.duplicateRows > 0 {
            en.append("\(sample.duplicateRows) duplicate records in a sample of \(sample.rows)")
            vi.append("\(sample.duplicateRows) bản ghi trùng trong mẫu \(sample.rows) bản ghi")
        }
        if en.isEmpty {
            return QualityFinding(
                .met, en: "a sample of \(sample.rows) records conforms, no duplicates (\(sample.checkedOn))",
                vi: "mẫu \(sample.rows) bản ghi đúng cấu trúc, không trùng lặp (\(sample.checkedOn))")
        }
        return QualityFinding(.notMet, en: en.joined(separator: "; "), vi: vi.joined(separator: "; "))
    }

    /// Correct: the outcome of the latest audit.
    public static func correct(_ audit: DatabaseAudit?) -> QualityFinding {
        guard let audit else {
            return QualityFinding(.unknown, en: "never audited", vi: "chưa được kiểm tra")
        }
        let en = "audited \(audit.auditedOn): \(audit.wrong) wrong of \(audit.sampled) sampled"
        let vi = "kiểm tra ngày \(audit.auditedOn): \(audit.wrong) sai trên \(audit.sampled) bản ghi mẫu"
        return QualityFinding(audit.passed ? .met : .notMet, en: en, vi: vi)
    }
}
