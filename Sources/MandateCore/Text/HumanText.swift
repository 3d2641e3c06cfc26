import Foundation

/// Text people type (titles, names, comments, reasons) as it is kept: composed (NFC, so that
/// "ệ" typed as one character or as "e" with two marks is one string), trimmed, and without the
/// characters that change how the text around them looks without showing themselves.
///
/// Removed: the direction controls (embeddings, overrides and isolates, U+202A–U+202E and
/// U+2066–U+2069, which can make "gpj.exe" read as "exe.jpg" or reverse a figure), the
/// left-to-right and right-to-left marks and the Arabic letter mark, zero-width spaces
/// (U+200B), word joiners (U+2060), byte order marks (U+FEFF) and control characters other than
/// line breaks and tabs (which only multi-line text keeps). Joiners (U+200C, U+200D) stay:
/// some scripts spell words with them.
public enum HumanText {
    /// `text` composed, trimmed and cleaned; line breaks and tabs become spaces unless `multiline`.
    public static func cleaned(_ text: String, multiline: Bool = false) -> String {
        // Printable ASCII (most codes, numbers and English text) is composed and clean already.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text.trimmingWhitespace() }
        var scalars = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                changed = true
            } else if !multiline, scalar == "\n" || scalar == "\r" || scalar == "\t" {
                scalars.append(" ")
                changed = true
            } else if scalar.properties.generalCategory == .control, !isLineOrTab(scalar) {
                changed = true
            } else {
                scalars.append(scalar)
            }
        }
        let kept = changed ? String(scalars) : text
        return kept.precomposedStringWithCanonicalMapping.trimmingWhitespace()
    }

    /// Whether `text` holds a character `cleaned` removes (an e-mail address or a code with one
    /// is refused rather than cleaned: what was typed is not what it looks like).
    public static func hasHiddenCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { isHidden($0) || $0.properties.generalCategory == .format }
    }

    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x200B, 0x2060, 0xFEFF: true
        default: false
        }
    }

    static func isLineOrTab(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\t"
    }
}
