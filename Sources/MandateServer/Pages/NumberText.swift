/// Numbers as the pages print them: at most two decimals, rounded half to even on the number's
/// shortest decimal form, with the language's separators ("1.234,5" in Vietnamese, "1,234.5" in
/// English). Built from the digits, without a formatter per number.
enum NumberText {
    static func format(_ value: Double, _ language: Language, fractionDigits: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let (negative, integer, fraction) = rounded(value, fractionDigits: fractionDigits)
        let grouping: Character = language == .vi ? "." : ","
        let decimal: Character = language == .vi ? "," : "."
        var text = ""
        for (offset, digit) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { text.append(grouping) }
            text.append(digit)
        }
        if !fraction.isEmpty {
            text.append(decimal)
            text += fraction
        }
        return negative ? "-" + text : text
    }

    /// The digits before and after the point, rounded half to even at `fractionDigits`, with
    /// trailing zeros of the fraction dropped.
    static func rounded(
        _ value: Double, fractionDigits: Int
    ) -> (negative: Bool, integer: [Character], fraction: String) {
        let (negative, digits, pointAt) = decimalDigits(value)
        // `digits` with the point after `pointAt` digits (which may be ≤ 0 or past the end).
        var whole = Array(repeating: Character("0"), count: max(0, -pointAt)) + digits
        var point = max(pointAt, 0)
        if point > whole.count { whole += Array(repeating: "0", count: point - whole.count) }
        let keep = point + fractionDigits
        if whole.count > keep {
            let next = whole[keep]
            let rest = whole[(keep + 1)...].contains { $0 != "0" }
            let previousOdd = keep > 0 && (whole[keep - 1].wholeNumberValue ?? 0) % 2 == 1
            whole.removeSubrange(keep...)
            let up = next > "5" || (next == "5" && (rest || previousOdd))
            if up {
                var index = keep - 1
                while index >= 0 {
                    if whole[index] == "9" {
                        whole[index] = "0"
                        index -= 1
                    } else {
                        whole[index] = Character(String((whole[index].wholeNumberValue ?? 0) + 1))
                        break
                    }
                }
                if index < 0 {
                    whole.insert("1", at: 0)
                    point += 1
                }
            }
        }
        var integer = Array(whole[..<point])
        var fraction = String(whole[point...])
        while fraction.last == "0" { fraction.removeLast() }
        if integer.isEmpty { integer = ["0"] }
        while integer.count > 1 && integer.first == "0" { integer.removeFirst() }
        let isZero = integer == ["0"] && fraction.isEmpty
        return (negative && !isZero, integer, fraction)
    }

    /// The shortest decimal digits that read back as `value`, and where the point goes.
    static func decimalDigits(_ value: Double) -> (negative: Bool, digits: [Character], pointAt: Int) {
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return (value.sign == .minus, Array(integer + fraction), integer.count + exponent)
    }
}

extension BinaryInteger {
    /// Grouped the way the language writes numbers: 3.321 in Vietnamese, 3,321 in English.
    func formatted(_ language: Language) -> String {
        NumberText.format(Double(Int(self)), language)
    }
}

extension Double {
    /// At most two decimals, in the language's separators (see `NumberText`).
    func formatted(_ language: Language) -> String {
        NumberText.format(self, language)
    }
}
