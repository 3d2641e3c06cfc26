/// Numbers as the pages print them: at most two decimals, rounded half to even on the number's
/// shortest decimal form, with the language's separators ("1.234,5" in Vietnamese, "1,234.5" in
/// English). Built from the digits, without a formatter per number.
public enum NumberText {
    public static func format(_ value: Double, _ language: Language, fractionDigits: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let (negative, integer, fraction) = rounded(value, fractionDigits: fractionDigits)
        let grouping = UInt8(ascii: language == .vi ? "." : ",")
        let decimal = UInt8(ascii: language == .vi ? "," : ".")
        var text: [UInt8] = []
        text.reserveCapacity(integer.count * 4 / 3 + fraction.count + 2)
        if negative { text.append(UInt8(ascii: "-")) }
        for (offset, digit) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { text.append(grouping) }
            text.append(digit)
        }
        if !fraction.isEmpty {
            text.append(decimal)
            text += fraction
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The digits (ASCII) before and after the point, rounded half to even at `fractionDigits`,
    /// with trailing zeros of the fraction dropped.
    public static func rounded(
        _ value: Double, fractionDigits: Int
    ) -> (negative: Bool, integer: ArraySlice<UInt8>, fraction: ArraySlice<UInt8>) {
        let zero = UInt8(ascii: "0")
        let (negative, digits, pointAt) = decimalDigits(value)
        // `digits` with the point after `pointAt` digits (which may be ≤ 0 or past the end).
        var whole = [UInt8](repeating: zero, count: max(0, -pointAt)) + digits
        var point = max(pointAt, 0)
        if point > whole.count { whole += [UInt8](repeating: zero, count: point - whole.count) }
        let keep = point + fractionDigits
        if whole.count > keep {
            let next = whole[keep]
            let rest = whole[(keep + 1)...].contains { $0 != zero }
            let previousOdd = keep > 0 && (whole[keep - 1] - zero) % 2 == 1
            whole.removeSubrange(keep...)
            let five = UInt8(ascii: "5")
            if next > five || (next == five && (rest || previousOdd)) {
                var index = keep - 1
                while index >= 0 {
                    if whole[index] == UInt8(ascii: "9") {
                        whole[index] = zero
                        index -= 1
                    } else {
                        whole[index] += 1
                        break
                    }
                }
                if index < 0 {
                    whole.insert(UInt8(ascii: "1"), at: 0)
                    point += 1
                }
            }
        }
        var integer = whole[..<point]
        var fraction = whole[point...]
        while fraction.last == zero { fraction.removeLast() }
        if integer.isEmpty { integer = [zero] }
        while integer.count > 1 && integer.first == zero { integer.removeFirst() }
        let isZero = integer.count == 1 && integer.first == zero && fraction.isEmpty
        return (negative && !isZero, integer, fraction)
    }

    /// The shortest decimal digits (ASCII) that read back as `value`, and where the point goes.
    public static func decimalDigits(_ value: Double) -> (negative: Bool, digits: [UInt8], pointAt: Int) {
        let text = Array("\(abs(value))".utf8)
        var digits: [UInt8] = []
        digits.reserveCapacity(text.count)
        var pointAt: Int?
        var exponent = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(index + 1)...], as: UTF8.self)) ?? 0
                break
            }
            if byte == UInt8(ascii: ".") {
                pointAt = digits.count
            } else {
                digits.append(byte)
            }
            index += 1
        }
        return (value.sign == .minus, digits, (pointAt ?? digits.count) + exponent)
    }
}

extension BinaryInteger {
    /// Grouped the way the language writes numbers: 3.321 in Vietnamese, 3,321 in English.
    public func formatted(_ language: Language) -> String {
        NumberText.format(Double(Int(self)), language)
    }
}

extension Double {
    /// At most two decimals, in the language's separators (see `NumberText`).
    public func formatted(_ language: Language) -> String {
        NumberText.format(self, language)
    }
}
