import Foundation
import MandateCore
import Testing

/// Numbers as people type them (issue 20, point 2): Vietnamese with a decimal comma and a dot or a
/// space between thousands, English with a decimal point; an entry that could be either is
/// refused with what to write.
@Suite struct WrittenNumberTests {
    typealias Problem = WrittenNumber.Problem

    @Test(arguments: [
        ("75,2", Language.vi, 75.2),
        ("74,45", .vi, 74.45),
        ("1.234,5", .vi, 1234.5),
        ("1 234,5", .vi, 1234.5),
        ("1\u{00A0}234\u{202F}567", .vi, 1_234_567),
        ("1.234.567", .vi, 1_234_567),
        ("-12,5", .vi, -12.5),
        ("\u{2212}3", .vi, -3),
        ("+3", .vi, 3),
        (",5", .vi, 0.5),
        ("0,125", .vi, 0.125),
        ("1,234", .vi, 1.234),
        ("  42  ", .vi, 42),
        ("75.2", .en, 75.2),
        ("1,234.5", .en, 1234.5),
        ("1,234,567", .en, 1_234_567),
        ("1 234.5", .en, 1234.5),
        ("0.125", .en, 0.125),
        ("1.234", .en, 1.234),
        ("007", .en, 7),
    ])
    func readsTheLanguagesNotation(text: String, language: Language, expected: Double) throws {
        #expect(try WrittenNumber.read(text, language).get() == expected)
    }

    @Test(arguments: [
        // Written the other language's way: said how to write it here.
        ("75.2", Language.vi, Problem.otherNotation(suggestion: "75,2")),
        ("1,234.5", .vi, .otherNotation(suggestion: "1234,5")),
        ("0.125", .vi, .otherNotation(suggestion: "0,125")),
        ("75,2", .en, .otherNotation(suggestion: "75.2")),
        ("1.234,5", .en, .otherNotation(suggestion: "1234.5")),
        // A thousand and more here, a decimal there: the reader says which.
        ("1.234", .vi, .ambiguous(whole: "1234", decimal: "1,234")),
        ("-12.345", .vi, .ambiguous(whole: "-12345", decimal: "-12,345")),
        ("1,234", .en, .ambiguous(whole: "1234", decimal: "1.234")),
        // Not numbers, or grouped wrongly in both notations.
        ("abc", .vi, .notANumber),
        ("1e5", .en, .notANumber),
        ("12,5,3", .vi, .notANumber),
        ("", .vi, .notANumber),
        ("-", .vi, .notANumber),
        ("75,", .vi, .notANumber),
        ("1 23", .vi, .grouping),
        ("12 34 567", .en, .grouping),
        ("0 123", .en, .grouping),
        ("75 %", .vi, .notANumber),
    ])
    func refusesWithTheReason(text: String, language: Language, expected: Problem) {
        #expect(WrittenNumber.read(text, language) == .failure(expected))
    }

    @Test func aPercentageMayCarryItsSign() {
        #expect(WrittenNumber.read("74,45 %", .vi, percent: true) == .success(74.45))
        #expect(WrittenNumber.read("74.45%", .en, percent: true) == .success(74.45))
    }

    /// What a form shows reads back as the same number, in either language.
    @Test func whatIsWrittenReadsBackTheSame() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, 1234, 1234.5, 0.125, 1.234, 999_999.999, -42.42, 1e-7, 123_456_789_012]
        for _ in 0..<2_000 {
            let magnitude = Double.random(in: -8...12, using: &generator)
            let value = (Bool.random(using: &generator) ? -1 : 1) * pow(10, magnitude)
            // Values as people enter them: a few decimals, and every bit of a double.
            values.append(
                Bool.random(using: &generator) ? (value * 1000).rounded() / 1000 : value)
        }
        for value in values {
            for language in Language.allCases {
                let text = WrittenNumber.written(value, language)
                #expect(!text.contains(WrittenNumber.separators(language).grouping), "\(text)")
                #expect(try WrittenNumber.read(text, language).get() == value, "\(value) as \(text)")
            }
        }
        #expect(WrittenNumber.written(1234.5, .vi) == "1234,5" && WrittenNumber.written(1234.5, .en) == "1234.5")
        #expect(WrittenNumber.written(1e-7, .vi) == "0,0000001")
    }
}
