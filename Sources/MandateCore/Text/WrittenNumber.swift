/// Numbers as people type them into a form, in the language of the page: Vietnamese writes a
/// decimal comma and groups thousands with a dot or a space ("1.234,5"), English a decimal point
/// and a comma or a space ("1,234.5"). What a form shows is written back the same way, so that
/// a form sent again unchanged reads the same numbers.
///
/// Files and the API keep the machine's notation (`ValueText`): a point, no grouping.
public enum WrittenNumber {
    /// Why a text is not read as a number, with what to write instead.
    public enum Problem: Error, Equatable, Sendable {
        /// Not digits and separators at all.
        case notANumber
        /// Written the other language's way: `suggestion` is the same number written this
        /// language's way ("75.2" on a Vietnamese page: "75,2").
        case otherNotation(suggestion: String)
        /// One grouping mark with three digits after it and nothing else ("1.234" on a Vietnamese
        /// page, "1,234" on an English one): a thousand and more in this language, a decimal in
        /// the other's. The reader says which: `whole` or `decimal`, as this language writes them.
        case ambiguous(whole: String, decimal: String)
        /// Grouping marks elsewhere than between groups of three digits.
        case grouping
    }

    /// A problem with `typed` worded in both languages, each saying what to write instead.
    public static func reason(_ problem: Problem, typed: String) -> (english: String, vietnamese: String) {
        switch problem {
        case .notANumber:
            (
                "“\(typed)” is not a number. Write it in digits, with a decimal point if it has decimals: 75.2",
                "“\(typed)” không phải là số. Hãy viết bằng chữ số, dùng dấu phẩy cho phần thập phân: 75,2"
            )
        case .otherNotation(let suggestion):
            (
                "“\(typed)” is written the Vietnamese way. In English the decimal separator is a point: write \(suggestion)",
                "“\(typed)” được viết theo kiểu tiếng Anh. Trong tiếng Việt, dấu thập phân là dấu phẩy: hãy viết \(suggestion)"
            )
        case .ambiguous(let whole, let decimal):
            (
                "“\(typed)” is unclear: write \(whole) for the whole number, or \(decimal) for the decimal",
                "“\(typed)” chưa rõ nghĩa: hãy viết \(whole) nếu là số nguyên, hoặc \(decimal) nếu là số thập phân"
            )
        case .grouping:
            (
                "“\(typed)”: thousands are grouped in threes (1,234,567.5), or write the number without grouping",
                "“\(typed)”: các nhóm hàng nghìn gồm ba chữ số (1.234.567,5), hoặc hãy viết số không có dấu phân nhóm"
            )
        }
    }

    /// The longest text read: a number has at most 17 significant digits, with room for marks.
    public static let maximumLength = 40

    /// The decimal separator and the grouping mark of a language.
    public static func separators(_ language: Language) -> (decimal: Character, grouping: Character) {
        language == .vi ? (",", ".") : (".", ",")
    }

    /// Reads `text` as `language` writes numbers. A percentage may carry its `%`.
    public static func read(_ text: String, _ language: Language, percent: Bool = false) -> Result<Double, Problem> {
        var text = Substring(text.trimmingWhitespace())
        if percent, text.last == "%" { text = Substring(String(text.dropLast()).trimmingWhitespace()) }
        guard !text.isEmpty, text.count <= maximumLength else { return .failure(.notANumber) }
        let reading = parse(text, language)
        switch reading {
        case .failure(.notANumber), .failure(.grouping):
            // Read the other language's way, is it a number? Then say how to write it here.
            if case .success(let value) = parse(text, language.other) {
                return .failure(.otherNotation(suggestion: written(value, language)))
            }
            return reading
        default: return reading
        }
    }

    /// A value as a form shows it in `language`: every digit of its shortest form, the language's
    /// decimal separator, no grouping (so that it reads back the same: "1234,5", "0,125").
    public static func written(_ value: Double, _ language: Language) -> String {
        guard value.isFinite else { return ValueText.format(value) }
        let (negative, integer, fraction) = NumberText.rounded(value, fractionDigits: 340)
        var text = (negative ? "-" : "") + String(decoding: integer, as: UTF8.self)
        if !fraction.isEmpty {
            text.append(separators(language).decimal)
            text += String(decoding: fraction, as: UTF8.self)
        }
        return text
    }

    private static func parse(_ text: Substring, _ language: Language) -> Result<Double, Problem> {
        let (decimal, grouping) = separators(language)
        var body = text
        var negative = false
        if let first = body.first, first == "-" || first == "+" || first == "\u{2212}" {
            negative = first != "+"
            body = body.dropFirst()
        }
        let spaces: Set<Character> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}"]
        guard
            body.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == decimal || $0 == grouping || spaces.contains($0) }),
            body.contains(where: { $0.isASCII && $0.isNumber })
        else { return .failure(.notANumber) }
        let halves = body.split(separator: decimal, maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return .failure(.notANumber) }
        let integerPart = halves[0]
        let fraction = halves.count == 2 ? halves[1] : nil
        if let fraction, fraction.isEmpty || !fraction.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return .failure(.notANumber)
        }
        // The integer part: digits, or groups of three after a first of one to three.
        let groups = integerPart.split(omittingEmptySubsequences: false) { $0 == grouping || spaces.contains($0) }
        if groups.count > 1 {
            let wellGrouped =
                (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
                && groups[0].first != "0"
            guard wellGrouped else { return .failure(.grouping) }
            let marks = integerPart.filter { !($0.isASCII && $0.isNumber) }
            if fraction == nil, groups.count == 2, marks == String(grouping) {
                let whole = (negative ? "-" : "") + groups.joined()
                let sign = negative ? "-" : ""
                return .failure(
                    .ambiguous(whole: whole, decimal: sign + groups[0] + String(decimal) + groups[1]))
            }
        } else if integerPart.isEmpty && fraction == nil {
            return .failure(.notANumber)
        }
        let digits = groups.joined()
        let canonical = (negative ? "-" : "") + (digits.isEmpty ? "0" : digits) + (fraction.map { "." + $0 } ?? "")
        guard let value = Double(canonical), value.isFinite else { return .failure(.notANumber) }
        return .success(value)
    }
}
