/// An enumeration written as one of a few strings: decoded from any other string, it says which
/// strings it takes (`"median" is not one of: arithmetic, geometric`), where the standard library
/// would name the Swift type.
public protocol ListedValues: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ListedValues {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not one of: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }
}
