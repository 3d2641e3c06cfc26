import Foundation

/// How text is written into a log line: on one line, whatever it holds, so that a value sent by a
/// client (a name, a code, a reason in an error) can never start a line of its own or pass for
/// another field.
public enum LogText {
    /// `text` with the backslash and every character that could break or disguise a line written
    /// as an escape: `\n`, `\r`, `\t`, `\\`, and `\u{…}` for the other control characters (C0,
    /// DEL, C1), the line and paragraph separators and the direction, zero-width and other
    /// format characters.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            default:
                if needsEscape(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A value of a `key=value` field: escaped, and in double quotes (its own quotes escaped) when
    /// it is empty or holds a space, a quote or an equals sign.
    public static func field(_ text: String) -> String {
        let escaped = escaped(text)
        guard escaped.isEmpty || escaped.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else {
            return escaped
        }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: scalar == "\\"
        }
    }
}
