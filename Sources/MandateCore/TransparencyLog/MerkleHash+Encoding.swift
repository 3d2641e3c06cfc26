import Foundation

extension MerkleHash {
    /// Creates a hash from 32 bytes of `Data`, or returns nil for any other length.
    public init?(data: Data) {
        guard data.count == Self.byteCount else { return nil }
        let hash = data.withUnsafeBytes { MerkleHash(buffer: $0) }
        guard let hash else { return nil }
        self = hash
    }

    /// Parses 64 hexadecimal digits (either case), or returns nil.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 2 * Self.byteCount else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < utf8.count {
            guard let high = Self.hexValue(utf8[index]), let low = Self.hexValue(utf8[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// Parses standard padded base64 (RFC 4648 section 4) that decodes to exactly 32 bytes, or returns nil.
    public init?(base64: some StringProtocol) {
        guard let data = Data(base64Encoded: String(base64)) else { return nil }
        self.init(data: data)
    }

    /// The hash as 64 lowercase hexadecimal digits.
    public var hex: String {
        withUnsafeBytes { Hex.lowercase($0) }
    }

    /// The hash in standard padded base64.
    public var base64: String {
        data.base64EncodedString()
    }

    /// The hash bytes as `Data`.
    public var data: Data {
        withUnsafeBytes { Data($0) }
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension MerkleHash: CustomStringConvertible, CustomDebugStringConvertible {
    /// The lowercase hexadecimal form.
    public var description: String { hex }

    /// A labelled hexadecimal form for debugging output.
    public var debugDescription: String { "MerkleHash(\(hex))" }
}

extension MerkleHash: Codable {
    /// Decodes a hash from its base64 string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let hash = MerkleHash(base64: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected base64 of 32 bytes")
        }
        self = hash
    }

    /// Encodes the hash as its base64 string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}
