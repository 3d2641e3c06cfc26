import Foundation
import MandateCore
import Testing

@Suite struct HexTests {
    @Test func matchesTheFormattersDigitsOnRandomBytes() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 4, 12, 32, 257] {
            let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let formatted = bytes.map { String(format: "%02x", $0) }.joined()
            #expect(Hex.lowercase(bytes) == formatted)
        }
        #expect(Hex.lowercase([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
