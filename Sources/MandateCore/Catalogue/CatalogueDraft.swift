import Foundation

/// A catalogue entry as a unit's reporter writes it, through the API, the form or an import:
/// every field as typed, checked by `entry(today:)`, which names each problem by its field in
/// both languages. Fields left out are allowed where the entry can be kept without them: what is
/// missing shows in the entry's "sufficient" quality rather than stopping the unit writing.
public struct CatalogueDraft: Codable, Sendable, Hashable {
    public var code: String?
    public var owner: String?
    public var level: String?
    public var nameVi: String?
    public var nameEn: String?
    public var descriptionVi: String?
    public var descriptionEn: String?
    public var legalBasis: LegalBasisDraft?
    public var themes: [String]?
    public var keywords: [String]?
    public var recordCount: Int?
    public var recordCountDate: String?
    public var frequency: String?
    public var lastUpdate: String?
    public var connectedSince: String?
    public var access: String?
    public var accessBasis: String?
    public var distributions: [DistributionDraft]?
    public var contactEmail: String?

    public struct LegalBasisDraft: Codable, Sendable, Hashable {
        public var document: String?
        public var link: String?

        public init(document: String?, link: String?) {
            self.document = document
            self.link = link
        }
    }

    public struct DistributionDraft: Codable, Sendable, Hashable {
        public var accessURL: String?
        public var downloadURL: String?
        public var format: String?
        public var mediaType: String?
        public var licence: String?
        public var columns: [String]?

        public init(
            accessURL: String?, downloadURL: String? = nil, format: String? = nil, mediaType: String? = nil,
            licence: String? = nil, columns: [String]? = nil
        ) {
            self.accessURL = accessURL
            self.downloadURL = downloadURL
            self.format = format
            self.mediaType = mediaType
            self.licence = licence
            self.columns = columns
        }
    }

    public init() {}

    /// The same draft as `entry` would read back.
    public init(_ entry: CatalogueEntry) {
        code = entry.code
        owner = entry.owner
        level = entry.level.rawValue
        nameVi = entry.nameVi
        nameEn = entry.nameEn
        descriptionVi = entry.descriptionVi
        descriptionEn = entry.descriptionEn
        legalBasis = LegalBasisDraft(document: entry.legalBasis.document, link: entry.legalBasis.link)
        themes = entry.themes.map(\.rawValue)
        keywords = entry.keywords
        recordCount = entry.recordCount
        recordCountDate = entry.recordCountDate?.description
        frequency = entry.frequency.rawValue
        lastUpdate = entry.lastUpdate?.description
        connectedSince = entry.connectedSince?.description
        access = entry.access.rawValue
        accessBasis = entry.accessBasis
        distributions = entry.distributions.map {
            DistributionDraft(
                accessURL: $0.accessURL, downloadURL: $0.downloadURL, format: $0.format?.rawValue,
                mediaType: $0.mediaType, licence: $0.licence, columns: $0.columns)
        }
        contactEmail = entry.contactEmail
    }

    public static let maximumDistributions = 20
    public static let maximumKeywords = 20
    /// More records than any database holds: a count past it is a typing mistake.
    public static let maximumRecords = 1_000_000_000_000_000

    /// The entry this draft makes, or every problem with it. Dates after `today` are refused: a
    /// database cannot have been updated, counted or connected in the future.
    public func entry(today: CivilDate, illustrative: Bool = false) throws(ValidationFailure) -> CatalogueEntry {
        var problems = FieldProblems()
        let code = (code ?? "").trimmingWhitespace()
        if !Self.isCode(code) {
            problems.fail(
                "code", "a database code has 3 to 40 capital letters, digits or '-', starting with a letter or digit",
                "mã cơ sở dữ liệu có 3 đến 40 chữ cái in hoa, chữ số hoặc '-', bắt đầu bằng chữ cái hoặc chữ số")
        }
        let owner = (owner ?? "").trimmingWhitespace()
        if owner.isEmpty || owner.count > 40 {
            problems.fail("owner", "name the unit that owns the database", "cần ghi đơn vị chủ quản cơ sở dữ liệu")
        }
        let level = Self.choice("level", level, DatabaseLevel.self, required: true, &problems)
        let nameVi = Self.text("nameVi", nameVi, maximum: 300, &problems)
        if nameVi.isEmpty {
            problems.fail("nameVi", "the Vietnamese name is required", "cần ghi tên tiếng Việt")
        }
        let nameEn = Self.text("nameEn", nameEn, maximum: 300, &problems)
        let descriptionVi = Self.text("descriptionVi", descriptionVi, maximum: 2_000, multiline: true, &problems)
        let descriptionEn = Self.text("descriptionEn", descriptionEn, maximum: 2_000, multiline: true, &problems)
        let document = Self.text("legalBasis.document", legalBasis?.document, maximum: 300, &problems)
        let link = Self.link("legalBasis.link", legalBasis?.link, &problems)
        var themes: [DataTheme] = []
        for (index, text) in (self.themes ?? []).enumerated() {
            guard let theme = DataTheme(rawValue: text) else {
                let known = DataTheme.allCases.map(\.rawValue).joined(separator: ", ")
                problems.fail(
                    "themes[\(index)]", "\"\(text)\" is not a data theme; one of \(known)",
                    "\"\(text)\" không phải là lĩnh vực dữ liệu; chọn một trong \(known)")
                continue
            }
            if !themes.contains(theme) { themes.append(theme) }
        }
        let keywords = (self.keywords ?? []).map { HumanText.cleaned($0) }.filter { !$0.isEmpty }
        if keywords.count > Self.maximumKeywords || keywords.contains(where: { $0.count > 60 }) {
            problems.fail(
                "keywords", "at most \(Self.maximumKeywords) keywords of up to 60 characters",
                "tối đa \(Self.maximumKeywords) từ khóa, mỗi từ khóa tối đa 60 ký tự")
        }
        if let recordCount, !(0...Self.maximumRecords).contains(recordCount) {
            problems.fail(
                "recordCount", "a record count from 0 to \(Self.maximumRecords)",
                "số bản ghi từ 0 đến \(Self.maximumRecords)")
        }
        let recordCountDate = Self.date("recordCountDate", recordCountDate, today: today, &problems)
        if recordCount != nil, recordCountDate == nil, self.recordCountDate?.isEmpty ?? true {
            problems.fail(
                "recordCountDate", "give the day the records were counted", "cần ghi ngày đếm số bản ghi")
        }
        let frequency = Self.choice("frequency", frequency, UpdateFrequency.self, required: true, &problems)
        let lastUpdate = Self.date("lastUpdate", lastUpdate, today: today, &problems)
        let connectedSince = Self.date("connectedSince", connectedSince, today: today, &problems)
        let access = Self.choice("access", access, DataAccess.self, required: true, &problems)
        let accessBasis = Self.text("accessBasis", accessBasis, maximum: 500, &problems)
        if access == .restricted, accessBasis.isEmpty {
            problems.fail(
                "accessBasis", "a restricted database names the legal basis that restricts it",
                "cơ sở dữ liệu hạn chế truy cập phải ghi căn cứ pháp lý của việc hạn chế")
        }
        let drafts = distributions ?? []
        if drafts.count > Self.maximumDistributions {
            problems.fail(
                "distributions", "at most \(Self.maximumDistributions) distributions",
                "tối đa \(Self.maximumDistributions) phân phối")
        }
        let distributions = drafts.prefix(Self.maximumDistributions).enumerated().map { index, draft in
            draft.distribution(field: "distributions[\(index)]", &problems)
        }
        var contactEmail = (contactEmail ?? "").trimmingWhitespace()
        if !contactEmail.isEmpty {
            do {
                contactEmail = try EmailAddress.normalised(contactEmail)
            } catch {
                problems.fail(
                    "contactEmail", "a contact point is a mailbox such as csdl@bo.gov.vn",
                    "đầu mối liên hệ là một hộp thư như csdl@bo.gov.vn")
            }
        }
        try problems.check()
        return CatalogueEntry(
            code: code, owner: owner, level: level ?? .national, nameVi: nameVi, nameEn: nameEn,
            descriptionVi: descriptionVi, descriptionEn: descriptionEn,
            legalBasis: DatabaseLegalBasis(document: document, link: link), themes: themes, keywords: keywords,
            recordCount: recordCount, recordCountDate: recordCountDate, frequency: frequency ?? .unknown,
            lastUpdate: lastUpdate, connectedSince: connectedSince, access: access ?? .restricted,
            accessBasis: accessBasis, distributions: distributions, contactEmail: contactEmail,
            illustrative: illustrative)
    }

    /// Whether `code` is a database code: 3 to 40 of A–Z, 0–9 and '-', not starting with '-'.
    public static func isCode(_ code: String) -> Bool {
        (3...40).contains(code.utf8.count) && code.utf8.first != UInt8(ascii: "-")
            && code.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }

    static func text(
        _ field: String, _ text: String?, maximum: Int, multiline: Bool = false, _ problems: inout FieldProblems
    ) -> String {
        let cleaned = HumanText.cleaned(text ?? "", multiline: multiline)
        if cleaned.count > maximum {
            problems.fail(field, "at most \(maximum) characters", "tối đa \(maximum) ký tự")
        }
        return cleaned
    }

    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ field: String, _ text: String?, _ type: Choice.Type, required: Bool, _ problems: inout FieldProblems
    ) -> Choice? where Choice.RawValue == String {
        let text = text ?? ""
        if text.isEmpty, !required { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let known = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        problems.fail(field, "one of \(known)", "chọn một trong \(known)")
        return nil
    }

    static func date(
        _ field: String, _ text: String?, today: CivilDate, _ problems: inout FieldProblems
    )
        -> CivilDate?
    {
        let text = (text ?? "").trimmingWhitespace()
        if text.isEmpty { return nil }
        guard let date = problems.day(field, text) else { return nil }
        if date > today {
            problems.fail(
                field, "\(date) is after today (\(today))", "ngày \(date) muộn hơn hôm nay (\(today))")
            return nil
        }
        return date
    }

    /// An `http` or `https` link of at most 2,000 characters, or empty.
    static func link(_ field: String, _ text: String?, _ problems: inout FieldProblems) -> String {
        let text = (text ?? "").trimmingWhitespace()
        if text.isEmpty || WebLink.isValid(text) { return text }
        problems.fail(
            field, "a web link starting with https:// or http:// (at most 2,000 characters)",
            "cần đường dẫn web bắt đầu bằng https:// hoặc http:// (tối đa 2.000 ký tự)")
        return ""
    }
}

extension CatalogueDraft.DistributionDraft {
    func distribution(field: String, _ problems: inout FieldProblems) -> Distribution {
        var accessURL = (accessURL ?? "").trimmingWhitespace()
        if !WebLink.isValid(accessURL) {
            problems.fail(
                "\(field).accessURL", "where the data are reached: a web link starting with https:// or http://",
                "nơi truy cập dữ liệu: đường dẫn web bắt đầu bằng https:// hoặc http://")
            accessURL = ""
        }
        let downloadURL = CatalogueDraft.link("\(field).downloadURL", downloadURL, &problems)
        let format = CatalogueDraft.choice("\(field).format", format, FileFormat.self, required: false, &problems)
        let mediaType = (mediaType ?? "").trimmingWhitespace().lowercased()
        if !mediaType.isEmpty, !Self.isMediaType(mediaType) {
            problems.fail(
                "\(field).mediaType", "a media type such as text/csv", "kiểu dữ liệu dạng text/csv")
        }
        let licence = CatalogueDraft.link("\(field).licence", licence, &problems)
        let columns = (columns ?? []).map { $0.trimmingWhitespace() }
        if columns.count > 200 || columns.contains(where: { $0.isEmpty || $0.count > 100 }) {
            problems.fail(
                "\(field).columns", "at most 200 column names of 1 to 100 characters",
                "tối đa 200 tên cột, mỗi tên 1 đến 100 ký tự")
        }
        return Distribution(
            accessURL: accessURL, downloadURL: downloadURL, format: format, mediaType: mediaType, licence: licence,
            columns: columns)
    }

    static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in
            !part.isEmpty && part.count <= 127
                && part.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || "+-.".utf8.contains($0) }
        }
        return parts.count == 2 && token(parts[0]) && token(parts[1])
    }
}
