/// How a field is written to CSV, in one place.
///
/// `quoted` is RFC 4180 alone: for files whose bytes are digested and recomputed (the ranking
/// tables), and for numbers and codes. `text` is for free text a person typed (comments,
/// evidence, titles, names) in files meant for spreadsheets: a field that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading apostrophe, so that a spreadsheet shows it
/// as text instead of running it as a formula (OWASP, CSV injection). The value import takes the
/// apostrophe off again (`restored`), so that a file exported and imported again changes nothing.
public enum CSVField {
    /// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Free text for a spreadsheet: neutralised if a spreadsheet would run it, then quoted.
    public static func text(_ field: String) -> String {
        quoted(needsMark(field[...]) ? "'" + field : field)
    }

    /// The text `text` wrote, read back: the apostrophe it added goes.
    public static func restored(_ field: String) -> String {
        guard field.hasPrefix("'"), needsMark(field.dropFirst()) else { return field }
        return String(field.dropFirst())
    }

    /// Whether `text` marks the field: it would run as a formula, or it already begins with the
    /// apostrophes of a marked one (so that such a field, typed as it is, also reads back as typed).
    static func needsMark(_ field: Substring) -> Bool {
        guard let first = field.unicodeScalars.first else { return false }
        if first == "'" { return needsMark(field.dropFirst()) }
        return first == "=" || first == "+" || first == "-" || first == "@" || first == "\t" || first == "\r"
    }
}
