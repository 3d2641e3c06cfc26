import Foundation

/// Folds text for search that ignores case and Vietnamese diacritics.
///
/// "Hà Nội", "HA NOI" and "ha  noi" all fold to "ha noi"; "Đà Nẵng" folds to "da nang". The fold
/// is by compatibility (NFKD), so full-width letters and digits ("ＨＡ ＮＯＩ", "０１") fold to their
/// plain forms.
public enum SearchKey {
    public static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            // "đ" has no canonical decomposition, so it is mapped by hand.
            let base: Unicode.Scalar = (scalar == "đ" || scalar == "Đ") ? "d" : scalar
            if base.properties.isAlphabetic || base.properties.numericType != nil {
                if pendingSpace && !folded.isEmpty { folded.append(" ") }
                pendingSpace = false
                folded.append(contentsOf: String(base).lowercased().unicodeScalars)
            } else {
                pendingSpace = true
            }
        }
        return String(folded)
    }

    /// The words of a query, folded; empty when the query has nothing to search for.
    public static func terms(_ query: String) -> [String] {
        fold(query).split(separator: " ").map(String.init)
    }
}
