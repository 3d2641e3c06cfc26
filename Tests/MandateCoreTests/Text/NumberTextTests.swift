import Foundation
import MandateCore
import Testing

/// Numbers are written without a formatter per number; Foundation's `NumberFormatter` (decimal
/// style, two decimals at most, half-even rounding) is the reference they must match.
@Suite struct NumberTextTests {
    static func reference(_ value: Double, _ language: Language) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 2
        formatter.groupingSeparator = language == .vi ? "." : ","
        formatter.decimalSeparator = language == .vi ? "," : "."
        let text = formatter.string(from: NSNumber(value: value)) ?? ""
        // A negative number that rounds to zero is written "0", not the formatter's "-0".
        return text == "-0" ? "0" : text
    }

    static let edges: [Double] = [
        0, 1, -1, 0.5, 0.125, 0.375, 0.005, 0.015, 0.025, 2.675, 1.005, 74.45, 74.445, 99.995, 999.995, 1234.5,
        1_000_000, 12_345_678.9, -12_345.678, 0.1 + 0.2, 1e-7, 123_456_789_012.25, 3321, 18015, 0.58, 1e15 + 0.5,
    ]

    @Test(arguments: Language.allCases)
    func edgesMatchTheFormatter(language: Language) {
        for value in Self.edges {
            #expect(NumberText.format(value, language) == Self.reference(value, language), "\(value)")
        }
    }

    @Test(arguments: Language.allCases)
    func randomValuesMatchTheFormatter(language: Language) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let scale = [1.0, 100, 10_000, 1e7][Int.random(in: 0..<4, using: &generator)]
            var value = Double.random(in: -scale...scale, using: &generator)
            // Values at two and three decimals, where rounding decides.
            if Bool.random(using: &generator) { value = (value * 1000).rounded() / 1000 }
            #expect(NumberText.format(value, language) == Self.reference(value, language), "\(value)")
        }
    }

    @Test func integersAreGrouped() {
        #expect(3321.formatted(.vi) == "3.321")
        #expect(3321.formatted(.en) == "3,321")
        #expect(1_234_567.formatted(.en) == "1,234,567")
    }
}
