import Testing

@testable import MandateCore

@Suite struct HumanTextTests {
    @Test(arguments: [
        // Composed: "ệ" as "e" with two combining marks becomes the one character.
        ("Nguye\u{0323}\u{0302}n", "Nguy\u{1EC7}n", false),
        // Direction controls and marks go: the override would show "gpj.exe" as "exe.jpg".
        ("report\u{202E}gpj.exe", "reportgpj.exe", false),
        ("\u{2067}Hà Nội\u{2069} \u{200F}", "Hà Nội", false),
        // Zero-width spaces, word joiners, byte order marks and control characters go.
        ("\u{FEFF}Kế\u{200B}hoạch\u{2060} 2026\u{0007}", "Kếhoạch 2026", false),
        // A one-line text turns line breaks and tabs into spaces; a multi-line one keeps them.
        ("Tiêu đề\nthứ hai\tba", "Tiêu đề thứ hai ba", false),
        ("Dòng một\r\nDòng hai\tba", "Dòng một\r\nDòng hai\tba", true),
        // Joiners stay (some scripts spell words with them); printable ASCII is only trimmed.
        ("a\u{200D}b", "a\u{200D}b", false), ("  plain text  ", "plain text", false),
    ])
    func cleans(input: String, expected: String, multiline: Bool) {
        #expect(HumanText.cleaned(input, multiline: multiline) == expected)
    }

    @Test func hiddenCharactersAreFound() {
        #expect(HumanText.hasHiddenCharacters("a\u{200B}b"))
        #expect(HumanText.hasHiddenCharacters("a\u{202E}b"))
        #expect(HumanText.hasHiddenCharacters("a\u{00AD}b"))
        #expect(!HumanText.hasHiddenCharacters("Nguyễn Văn A"))
    }

    /// Where people type text, the rule is applied: a task's title, a value's comment, an
    /// indicator's names.
    @Test func theRuleHoldsWhereTextIsTaken() {
        let input = DataValueInput(
            key: DataValueKey(indicator: "I", unit: "01", period: "2026"), value: "1",
            comment: " ghi\u{202E}chú ", origin: .line(2))
        #expect(input.comment == "ghichú")
        let indicator = Indicator(
            code: "I", nameVi: "Chỉ\u{200B} số\u{202E}", nameEn: "Index\u{2066}", unitOfMeasure: "%",
            valueType: .percent, direction: .higher, frequency: .yearly, appliesTo: [.province],
            rollup: .mean)
        #expect(indicator.nameVi == "Chỉ số")
        #expect(indicator.nameEn == "Index")
    }
}
