/// The level a database serves: the whole country, one sector, or one locality.
public enum DatabaseLevel: String, Codable, Sendable, CaseIterable {
    case national, sectoral, local

    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.national, .vi): "Quốc gia"
        case (.national, .en): "National"
        case (.sectoral, .vi): "Chuyên ngành"
        case (.sectoral, .en): "Sectoral"
        case (.local, .vi): "Địa phương"
        case (.local, .en): "Local"
        }
    }
}

/// Who may use a database: anyone, agencies through the national data-sharing platform, or only
/// those a legal basis names (Decree 194/2025 asks for that basis in writing).
public enum DataAccess: String, Codable, Sendable, CaseIterable {
    case open, shared, restricted

    /// The EU access-right vocabulary's concept, as DCAT-AP asks for `dct:accessRights`.
    public var authorityCode: String {
        switch self {
        case .open: "PUBLIC"
        case .shared: "RESTRICTED"
        case .restricted: "NON_PUBLIC"
        }
    }

    public var authorityURI: String {
        "http://publications.europa.eu/resource/authority/access-right/\(authorityCode)"
    }

    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.open, .vi): "Mở"
        case (.open, .en): "Open"
        case (.shared, .vi): "Chia sẻ giữa các cơ quan"
        case (.shared, .en): "Shared between agencies"
        case (.restricted, .vi): "Hạn chế"
        case (.restricted, .en): "Restricted"
        }
    }
}

/// How often a database promises to be updated: the EU frequency vocabulary
/// (`http://publications.europa.eu/resource/authority/frequency/…`), of which these codes are
/// taken.
public enum UpdateFrequency: String, Codable, Sendable, CaseIterable {
    case continuous = "CONT"
    case daily = "DAILY"
    case weekly = "WEEKLY"
    case biweekly = "BIWEEKLY"
    case monthly = "MONTHLY"
    case bimonthly = "BIMONTHLY"
    case quarterly = "QUARTERLY"
    case semiannual = "ANNUAL_2"
    case annual = "ANNUAL"
    case biennial = "BIENNIAL"
    case triennial = "TRIENNIAL"
    case irregular = "IRREG"
    case never = "NEVER"
    case unknown = "UNKNOWN"

    /// One promised period, from one update to the next; nil where nothing is promised.
    public enum Step: Sendable, Hashable {
        case days(Int)
        case months(Int)
    }

    /// The period between two promised updates. A continuously updated database is held to a day.
    public var step: Step? {
        switch self {
        case .continuous, .daily: .days(1)
        case .weekly: .days(7)
        case .biweekly: .days(14)
        case .monthly: .months(1)
        case .bimonthly: .months(2)
        case .quarterly: .months(3)
        case .semiannual: .months(6)
        case .annual: .months(12)
        case .biennial: .months(24)
        case .triennial: .months(36)
        case .irregular, .never, .unknown: nil
        }
    }

    public var authorityURI: String {
        "http://publications.europa.eu/resource/authority/frequency/\(rawValue)"
    }

    public func name(in language: Language) -> String {
        let names: (vi: String, en: String) =
            switch self {
            case .continuous: ("Liên tục", "Continuously")
            case .daily: ("Hằng ngày", "Daily")
            case .weekly: ("Hằng tuần", "Weekly")
            case .biweekly: ("Hai tuần một lần", "Every two weeks")
            case .monthly: ("Hằng tháng", "Monthly")
            case .bimonthly: ("Hai tháng một lần", "Every two months")
            case .quarterly: ("Hằng quý", "Quarterly")
            case .semiannual: ("Sáu tháng một lần", "Twice a year")
            case .annual: ("Hằng năm", "Yearly")
            case .biennial: ("Hai năm một lần", "Every two years")
            case .triennial: ("Ba năm một lần", "Every three years")
            case .irregular: ("Không định kỳ", "Irregularly")
            case .never: ("Không cập nhật", "Never updated")
            case .unknown: ("Chưa rõ", "Unknown")
            }
        return language == .vi ? names.vi : names.en
    }
}

extension CivilDate {
    /// The date `count` promised periods after this one; a month step ends on the month's last
    /// day where the month is shorter (31 January plus a month is 28 or 29 February).
    public func adding(_ step: UpdateFrequency.Step, times count: Int) -> CivilDate {
        switch step {
        case .days(let days): return adding(days: days * count)
        case .months(let months): return adding(months: months * count)
        }
    }

    public func adding(months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let (year, month) = (index.floorDivided(by: 12), index.floorModulo(12) + 1)
        let day = min(day, CivilDate.days(inMonth: month, of: year))
        return CivilDate(year: year, month: month, day: day)!
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int {
        self - floorDivided(by: divisor) * divisor
    }
}

/// The EU data themes (`http://publications.europa.eu/resource/authority/data-theme/…`), the
/// vocabulary DCAT-AP asks `dcat:theme` to take.
public enum DataTheme: String, Codable, Sendable, CaseIterable {
    case agriculture = "AGRI"
    case economy = "ECON"
    case education = "EDUC"
    case energy = "ENER"
    case environment = "ENVI"
    case government = "GOVE"
    case health = "HEAL"
    case international = "INTR"
    case justice = "JUST"
    case regions = "REGI"
    case society = "SOCI"
    case technology = "TECH"
    case transport = "TRAN"

    public var authorityURI: String {
        "http://publications.europa.eu/resource/authority/data-theme/\(rawValue)"
    }

    public func name(in language: Language) -> String {
        let names: (vi: String, en: String) =
            switch self {
            case .agriculture:
                ("Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm", "Agriculture, fisheries, forestry and food")
            case .economy: ("Kinh tế và tài chính", "Economy and finance")
            case .education: ("Giáo dục, văn hóa và thể thao", "Education, culture and sport")
            case .energy: ("Năng lượng", "Energy")
            case .environment: ("Môi trường", "Environment")
            case .government: ("Chính phủ và khu vực công", "Government and public sector")
            case .health: ("Y tế", "Health")
            case .international: ("Vấn đề quốc tế", "International issues")
            case .justice:
                ("Tư pháp, hệ thống pháp luật và an toàn công cộng", "Justice, legal system and public safety")
            case .regions: ("Vùng và thành phố", "Regions and cities")
            case .society: ("Dân số và xã hội", "Population and society")
            case .technology: ("Khoa học và công nghệ", "Science and technology")
            case .transport: ("Giao thông", "Transport")
            }
        return language == .vi ? names.vi : names.en
    }
}

/// The file types a distribution may declare: codes of the EU file-type vocabulary
/// (`http://publications.europa.eu/resource/authority/file-type/…`), each with the media type it
/// implies and whether the metadata quality scheme counts it machine-readable and open.
public enum FileFormat: String, Codable, Sendable, CaseIterable {
    case csv = "CSV"
    case json = "JSON"
    case jsonLD = "JSON_LD"
    case geoJSON = "GEOJSON"
    case xml = "XML"
    case rdfXML = "RDF_XML"
    case turtle = "RDF_TURTLE"
    case xlsx = "XLSX"
    case xls = "XLS"
    case ods = "ODS"
    case pdf = "PDF"
    case html = "HTML"
    case text = "TXT"
    case zip = "ZIP"
    case shapefile = "SHP"

    public var authorityURI: String {
        "http://publications.europa.eu/resource/authority/file-type/\(rawValue)"
    }

    /// The IANA media type of the format.
    public var mediaType: String {
        switch self {
        case .csv: "text/csv"
        case .json: "application/json"
        case .jsonLD: "application/ld+json"
        case .geoJSON: "application/geo+json"
        case .xml: "application/xml"
        case .rdfXML: "application/rdf+xml"
        case .turtle: "text/turtle"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .xls: "application/vnd.ms-excel"
        case .ods: "application/vnd.oasis.opendocument.spreadsheet"
        case .pdf: "application/pdf"
        case .html: "text/html"
        case .text: "text/plain"
        case .zip: "application/zip"
        case .shapefile: "application/x-shapefile"
        }
    }

    /// Whether a program can read the data's structure from the file.
    public var isMachineReadable: Bool {
        switch self {
        case .pdf, .html, .text, .zip: false
        default: true
        }
    }

    /// Whether the format is an open standard rather than one vendor's.
    public var isNonProprietary: Bool {
        switch self {
        case .xlsx, .xls, .shapefile: false
        default: true
        }
    }
}
