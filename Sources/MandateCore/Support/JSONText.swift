/// JSON text as Foundation's encoder writes it.
public enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string: quotes and backslashes escaped, control characters as `\b \f \n
    /// \r \t` or `\u00XX`, everything else (slashes, letters beyond ASCII) as it is.
    public static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A number as the encoder writes it: the shortest text that reads back as the same value,
    /// without a trailing `.0` (`12`, `16.4`, `1e-07`).
    public static func number(_ value: Double, into out: inout [UInt8]) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    public static func number(_ value: Int, into out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// `"key":`, the key escaped.
    public static func key(_ key: String, into out: inout [UInt8]) {
        string(key, into: &out)
        out.append(UInt8(ascii: ":"))
    }
}
