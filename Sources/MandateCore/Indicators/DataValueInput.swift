/// A value as submitted, before it is checked: from a file, a JSON body or a form.
///
/// A comment or evidence that is not given (nil: no such column, field or form control) keeps
/// what is stored; one given empty clears it.
public struct DataValueInput: Sendable, Hashable {
    public var key: DataValueKey
    public var value: String
    public var comment: String?
    public var evidence: String?
    public var origin: Origin

    public init(key: DataValueKey, value: String, comment: String? = nil, evidence: String? = nil, origin: Origin) {
        self.key = key
        self.value = value
        self.comment = comment
        self.evidence = evidence
        self.origin = origin
    }

    /// Where the input came from, so that an error names its line and column, or its field.
    public enum Origin: Sendable, Hashable {
        /// A CSV line (1-based; the header is line 1).
        case line(Int)
        /// An item of a JSON `dataValues` array (0-based).
        case item(Int)
        /// A single value: errors name the bare field.
        case single
    }

    /// The fields of a value.
    public enum Field: String, Sendable, CaseIterable {
        case indicator, unit, period, value, comment, evidence

        /// The name in a DHIS2-like `dataValues` item.
        var jsonName: String {
            switch self {
            case .indicator: "dataElement"
            case .unit: "orgUnit"
            default: rawValue
            }
        }
    }

    public func error(_ field: Field?, _ reason: String) -> RowError {
        switch origin {
        case .line(let line): RowError(line: line, column: field?.rawValue, reason: reason)
        case .item(let index):
            RowError(
                line: nil, column: "dataValues[\(index)]" + (field.map { "." + $0.jsonName } ?? ""), reason: reason)
        case .single: RowError(line: nil, column: field?.rawValue, reason: reason)
        }
    }
}

/// A value that passed every check, ready to store. Its comment and evidence are as submitted:
/// nil keeps what is stored, empty clears it.
public struct CheckedValue: Sendable, Hashable {
    public var key: DataValueKey
    public var value: Double
    public var comment: String?
    public var evidence: String?

    /// The comment to store in place of `stored`.
    public func comment(replacing stored: String?) -> String? {
        comment.map { $0.isEmpty ? nil : $0 } ?? stored
    }

    /// The evidence to store in place of `stored`.
    public func evidence(replacing stored: String?) -> String? {
        evidence.map { $0.isEmpty ? nil : $0 } ?? stored
    }

    public init(key: DataValueKey, value: Double, comment: String?, evidence: String?) {
        self.key = key
        self.value = value
        self.comment = comment
        self.evidence = evidence
    }
}

/// Reads the two import shapes into inputs.
public enum DataValueFile {
    /// The CSV columns an export writes; `bench/generate.py` writes all but `evidence`.
    public static let columns = ["indicator", "unit", "period", "value", "comment", "evidence"]
    static let required = ["indicator", "unit", "period", "value"]

    /// Reads `indicator,unit,period,value[,comment][,evidence]` (columns in any order, by header).
    public static func csv(_ text: String) throws(ValidationFailure) -> [DataValueInput] {
        var parts = try DataValueParts.csv(Array(text.utf8))
        var inputs: [DataValueInput] = []
        inputs.reserveCapacity(parts.expected)
        while let part = try parts.next(upTo: 50_000) { inputs += part }
        if !parts.shapeErrors.isEmpty { throw ValidationFailure(parts.shapeErrors) }
        return inputs
    }

    /// One item of a DHIS2-like `{"dataValues": [...]}` body; the value may be a string or a number.
    public struct Item: Codable, Sendable, Hashable {
        public var dataElement: String
        public var orgUnit: String
        public var period: String
        public var value: ValueField
        public var comment: String?
        public var evidence: String?

        public init(
            dataElement: String, orgUnit: String, period: String, value: String, comment: String? = nil,
            evidence: String? = nil
        ) {
            self.dataElement = dataElement
            self.orgUnit = orgUnit
            self.period = period
            self.value = ValueField(text: value)
            self.comment = comment
            self.evidence = evidence
        }
    }

    /// DHIS2 sends values as strings; numbers are accepted too. Encoded as a string.
    public struct ValueField: Codable, Sendable, Hashable {
        public var text: String

        public init(text: String) {
            self.text = text
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                text = ValueText.format(number)
            } else {
                text = try container.decode(String.self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    /// A `dataValueSets`-like document.
    public struct ValueSet: Codable, Sendable, Hashable {
        public var dataValues: [Item]

        public init(dataValues: [Item]) {
            self.dataValues = dataValues
        }
    }

    public static func inputs(_ set: ValueSet) -> [DataValueInput] {
        set.dataValues.enumerated().map { index, item in
            DataValueInput(
                key: DataValueKey(
                    indicator: item.dataElement.trimmingWhitespace(), unit: item.orgUnit.trimmingWhitespace(),
                    period: item.period.trimmingWhitespace()),
                value: item.value.text, comment: item.comment?.trimmingWhitespace(),
                evidence: item.evidence?.trimmingWhitespace(), origin: .item(index))
        }
    }
}
