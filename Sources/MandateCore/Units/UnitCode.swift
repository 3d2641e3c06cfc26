/// The rule unit codes follow.
public enum UnitCode {
    public static let rule = "a code is 1 to 32 letters, digits or hyphens"

    public static func isValid(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32
            && code.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
            }
    }
}
