import Foundation

/// A value as submitted, before it is checked: from a file, a JSON body or a form.
///
/// A comment or evidence that is not given (nil: no such column, field or form control) keeps
/// what is stored; one given empty clears it. A comment is kept as `HumanText` cleans it.
public struct DataValueInput: Sendable, Hashable {
    public var key: DataValueKey
    public var value: String
    public var comment: String?
    public var evidence: String?
    public var origin: Origin

    public init(key: DataValueKey, value: String, comment: String? = nil, evidence: String? = nil, origin: Origin) {
        self.key = key
        self.value = value
        self.comment = comment.map { HumanText.cleaned($0, multiline: true) }
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
    /// Columns a file may carry and an import passes over: the open-data file's `illustrative`
    /// is the indicator's, not the value's.
    static let passedOver = ["illustrative"]

    /// Reads `indicator,unit,period,value[,comment][,evidence]` (columns in any order, by header).
    public static func csv(_ text: String) throws(ValidationFailure) -> [DataValueInput] {
        var parts = try DataValueParts.csv(Array(text.utf8))
        let inputs = try parts.all()
        if !parts.shapeErrors.isEmpty { throw ValidationFailure(parts.shapeErrors) }
        return inputs
    }

    /// Reads a `{"dataValues": [...]}` body item by item: an item of the wrong shape (not an
    /// object, a field missing or of the wrong type) is a shape error of its own, named by its
    /// place, and the other items are read on, so that every bad item is reported. A body that is
    /// not such a document at all is refused at once.
    public static func json(_ data: Data) throws(ValidationFailure) -> DataValueParts {
        let document: LooseSet
        do {
            document = try JSONDecoder().decode(LooseSet.self, from: data)
        } catch {
            throw ValidationFailure([
                RowError(
                    line: nil, column: "dataValues", reason: "expected {\"dataValues\": [ … ]}: \(Self.reason(error))")
            ])
        }
        var inputs: [DataValueInput] = []
        var errors: [RowError] = []
        for (index, item) in document.dataValues.enumerated() {
            let origin = DataValueInput.Origin.item(index)
            guard let fields = item.fields else {
                errors.append(RowError(line: nil, column: "dataValues[\(index)]", reason: "an item is an object"))
                continue
            }
            let input = DataValueInput(
                key: DataValueKey(
                    indicator: fields.dataElement?.trimmingWhitespace() ?? "",
                    unit: fields.orgUnit?.trimmingWhitespace() ?? "", period: fields.period?.trimmingWhitespace() ?? ""),
                value: fields.value ?? "", comment: fields.comment,
                evidence: fields.evidence?.trimmingWhitespace(), origin: origin)
            let problems = fields.problems.map { input.error($0.field, $0.reason) }
            if problems.isEmpty { inputs.append(input) } else { errors += problems }
        }
        return DataValueParts(inputs, shapeErrors: errors)
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            context.underlyingError.map { "\($0)" } ?? context.debugDescription
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): "\(key.stringValue) is missing"
        default: "\(error)"
        }
    }

    /// A document read without failing on a bad item.
    struct LooseSet: Decodable {
        let dataValues: [LooseItem]
    }

    /// An item whose fields are each read on their own; what is wrong with them is kept.
    struct LooseItem: Decodable {
        struct Fields {
            var dataElement, orgUnit, period, value, comment, evidence: String?
            var problems: [(field: DataValueInput.Field, reason: String)] = []
        }
        /// Nil when the item is not an object.
        let fields: Fields?

        enum Key: String, CodingKey {
            case dataElement, orgUnit, period, value, comment, evidence
        }

        init(from decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: Key.self) else {
                fields = nil
                return
            }
            var fields = Fields()
            func text(_ key: Key, _ field: DataValueInput.Field, required: Bool) -> String? {
                if let text = try? container.decodeIfPresent(String.self, forKey: key) { return text }
                if container.contains(key), (try? container.decodeNil(forKey: key)) != true {
                    fields.problems.append((field, "\(key.stringValue) is text"))
                } else if required {
                    fields.problems.append((field, "\(key.stringValue) is missing"))
                }
                return nil
            }
            fields.dataElement = text(.dataElement, .indicator, required: true)
            fields.orgUnit = text(.orgUnit, .unit, required: true)
            fields.period = text(.period, .period, required: true)
            if let number = try? container.decode(Double.self, forKey: .value) {
                fields.value = ValueText.format(number)
            } else if let text = try? container.decode(String.self, forKey: .value) {
                fields.value = text
            } else {
                fields.problems.append(
                    (.value, container.contains(.value) ? "value is text or a number" : "value is missing"))
            }
            fields.comment = text(.comment, .comment, required: false)
            fields.evidence = text(.evidence, .evidence, required: false)
            self.fields = fields
        }
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

    /// The inputs of a decoded set (each item's comment and evidence as given: see `DataValueInput`).
    public static func inputs(_ set: ValueSet) -> [DataValueInput] {
        set.dataValues.enumerated().map { index, item in
            DataValueInput(
                key: DataValueKey(
                    indicator: item.dataElement.trimmingWhitespace(), unit: item.orgUnit.trimmingWhitespace(),
                    period: item.period.trimmingWhitespace()),
                value: item.value.text, comment: item.comment,
                evidence: item.evidence?.trimmingWhitespace(), origin: .item(index))
        }
    }
}
