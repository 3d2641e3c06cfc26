import Foundation

/// The canonical JSON of a fact, written directly: the bytes `JSONEncoder` gives with
/// `.sortedKeys` and `.withoutEscapingSlashes` (keys in UTF-8 byte order; `"`, `\` and
/// control characters escaped, nothing else), at a fraction of its cost.
public enum CanonicalJSON {
    static func fact(kind: String, key: String, fields: [String: String], v: Int) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + key.utf8.count + fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        out.append(contentsOf: #"{"fields":{"#.utf8)
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (offset, field) in sorted.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            string(field.key, into: &out)
            out.append(UInt8(ascii: ":"))
            string(field.value, into: &out)
        }
        out.append(contentsOf: #"},"key":"#.utf8)
        string(key, into: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        string(kind, into: &out)
        out.append(contentsOf: #","v":"#.utf8)
        out.append(contentsOf: String(v).utf8)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// Appends `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
    public static func string(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { string($0, into: &out) }
    }

    /// Appends the UTF-8 text in `data` as a JSON string.
    public static func string(utf8 data: Data, into out: inout [UInt8]) {
        data.withUnsafeBytes { string($0.bindMemory(to: UInt8.self), into: &out) }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Runs that need no escape are copied whole; most text is one such run.
        var run = 0
        for position in bytes.indices {
            let byte = bytes[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
            escape(byte, into: &out)
            run = position + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func escape(_ byte: UInt8, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
