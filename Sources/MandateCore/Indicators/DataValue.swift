/// Whether a value is public yet.
public enum ValueStatus: String, Codable, Sendable, CaseIterable {
    /// Entered, not yet approved by the unit head: visible inside the unit and to the committee only.
    case draft
    /// Approved by the unit head: public, and counted in roll-ups.
    case approved
}

/// Where a value is stored: one indicator, one unit, one period.
public struct DataValueKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var indicator: String
    public var unit: String
    public var period: String

    public init(indicator: String, unit: String, period: String) {
        self.indicator = indicator
        self.unit = unit
        self.period = period
    }

    public var description: String { "\(indicator)/\(unit)/\(period)" }

    public static func < (lhs: DataValueKey, rhs: DataValueKey) -> Bool {
        (lhs.indicator, lhs.unit, lhs.period) < (rhs.indicator, rhs.unit, rhs.period)
    }
}

/// A reported value with who and when.
public struct DataValue: Codable, Sendable, Hashable {
    public var indicator: String
    public var unit: String
    public var period: String
    public var value: Double
    public var comment: String?
    /// A link (http or https) or the SHA-256 of a file, as `sha256:<hex>`.
    public var evidence: String?
    public var status: ValueStatus
    /// The user who stored the current value; nil for a system import.
    public var enteredBy: String?
    public var enteredAt: String
    /// When a value for this key first arrived: what timeliness is judged by.
    public var firstReportedAt: String
    /// True when the first report arrived after the period's due date.
    public var late: Bool
    public var approvedBy: String?
    public var approvedAt: String?
    /// A correction of this approved value that waits for approval; the value above stays public
    /// until then. Read only where drafts may be seen.
    public var pending: PendingCorrection?

    public init(
        indicator: String, unit: String, period: String, value: Double, comment: String? = nil,
        evidence: String? = nil, status: ValueStatus, enteredBy: String?, enteredAt: String,
        firstReportedAt: String, late: Bool, approvedBy: String? = nil, approvedAt: String? = nil
    ) {
        self.indicator = indicator
        self.unit = unit
        self.period = period
        self.value = value
        self.comment = comment
        self.evidence = evidence
        self.status = status
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
        self.firstReportedAt = firstReportedAt
        self.late = late
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }

    public var key: DataValueKey { DataValueKey(indicator: indicator, unit: unit, period: period) }

    /// Whether the unit head has something to approve here: a draft, or a correction.
    public var awaitsApproval: Bool { status == .draft || pending != nil }

    /// What was last entered for the key: the pending correction's content where there is one.
    public var latestEntry: (value: Double, comment: String?, evidence: String?) {
        pending.map { ($0.value, $0.comment, $0.evidence) } ?? (value, comment, evidence)
    }
}

/// A correction of an approved value, entered as a draft and waiting for the unit head.
public struct PendingCorrection: Codable, Sendable, Hashable {
    public var value: Double
    public var comment: String?
    public var evidence: String?
    public var enteredBy: String?
    public var enteredAt: String

    public init(value: Double, comment: String?, evidence: String?, enteredBy: String?, enteredAt: String) {
        self.value = value
        self.comment = comment
        self.evidence = evidence
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
    }
}

/// A value as it stood before a correction.
public struct DataValueRevision: Codable, Sendable, Hashable {
    public var value: Double
    public var comment: String?
    public var evidence: String?
    public var status: ValueStatus
    public var enteredBy: String?
    public var enteredAt: String
    /// When and by whom it was replaced.
    public var replacedAt: String
    public var replacedBy: String?

    public init(
        value: Double, comment: String?, evidence: String?, status: ValueStatus, enteredBy: String?,
        enteredAt: String, replacedAt: String, replacedBy: String?
    ) {
        self.value = value
        self.comment = comment
        self.evidence = evidence
        self.status = status
        self.enteredBy = enteredBy
        self.enteredAt = enteredAt
        self.replacedAt = replacedAt
        self.replacedBy = replacedBy
    }
}

/// Evidence for a value: a web link or a file's SHA-256.
public enum Evidence {
    public static let rule = "evidence is an http(s) link or sha256: followed by 64 hexadecimal digits"

    /// The evidence in canonical form (hashes lower-cased), or nil when it is neither kind.
    public static func normalised(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            return WebLink.isValid(trimmed) ? trimmed : nil
        }
        let hex = lower.hasPrefix("sha256:") ? String(lower.dropFirst(7)) : lower
        guard hex.count == 64, hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else { return nil }
        return "sha256:" + hex
    }
}

/// Values as text, in files and exports.
public enum ValueText {
    /// `+ - . e E`: the bytes a decimal number may hold besides digits.
    private static let numberSigns: [UInt8] = [0x2B, 0x2D, 0x2E, 0x65, 0x45]

    /// Parses a value as written in a file: a decimal number; for yes/no also yes/no and true/false.
    public static func parse(_ text: String, as type: ValueType?) -> Double? {
        let trimmed = text.trimmingWhitespace()
        if type == .yesno {
            switch trimmed.lowercased() {
            case "yes", "true", "có": return 1
            case "no", "false", "không": return 0
            default: break
            }
        }
        guard let value = Double(trimmed), value.isFinite,
            trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) || Self.numberSigns.contains($0) })
        else { return nil }
        return value
    }

    /// The shortest text that reads back as the same value: `12`, `16.4`, `0.125`.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
