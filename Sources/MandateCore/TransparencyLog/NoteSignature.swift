import Foundation

/// One signature line of a signed note: `— <name> <base64(key ID || signature)>`.
public struct NoteSignature: Hashable, Sendable {
    /// The signing key's name.
    public let name: String
    /// The signing key's ID.
    public let keyID: UInt32
    /// The signature bytes, without the key ID.
    public let signature: Data

    /// A signature line; the name must be valid and the signature non-empty.
    public init(name: String, keyID: UInt32, signature: Data) throws(SignedNoteError) {
        guard NoteName.isValid(name) else { throw .invalidName(name) }
        guard !signature.isEmpty else { throw .malformedNote("empty signature") }
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses a signature line without its final newline.
    init(line: ArraySlice<UInt8>) throws(SignedNoteError) {
        let prefix = Array("— ".utf8)
        guard line.starts(with: prefix) else { throw .malformedNote("signature line must start with an em dash") }
        let body = line.dropFirst(prefix.count)
        guard let space = body.firstIndex(of: UInt8(ascii: " ")) else {
            throw .malformedNote("signature line without a signature")
        }
        let name = String(decoding: body[..<space], as: UTF8.self)
        let encoded = String(decoding: body[(space + 1)...], as: UTF8.self)
        guard let bytes = Data(base64Encoded: encoded), bytes.count > 4 else {
            throw .malformedNote("bad signature encoding for \(name)")
        }
        let keyID = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        try self.init(name: name, keyID: keyID, signature: Data(bytes.dropFirst(4)))
    }

    /// The base64 of the key ID followed by the signature.
    public var base64: String {
        let id = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: keyID >> $0) }
        return (Data(id) + signature).base64EncodedString()
    }

    /// The full signature line, ending in a newline.
    public var line: String { "— \(name) \(base64)\n" }
}

/// Helpers for signed-note key names and key strings.
enum NoteName {
    /// Whether `name` is a valid key name: non-empty, with no Unicode white space and no plus sign.
    static func isValid(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
    }

    /// Splits `text` at its first `count - 1` plus signs; base64 in the last part may contain more of them.
    static func chop(_ text: String, count: Int) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while parts.count < count - 1, let plus = rest.firstIndex(of: "+") {
            parts.append(String(rest[..<plus]))
            rest = rest[rest.index(after: plus)...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Parses exactly eight hexadecimal digits.
    static func hexKeyID(_ text: String) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit })
        else { return nil }
        return UInt32(text, radix: 16)
    }

    /// A key ID as eight lowercase hexadecimal digits.
    static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
