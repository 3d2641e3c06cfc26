import Logging
import Synchronization
import Testing

@testable import MandateServer

/// A log line forged through a value: a message, a metadata value, a key and an error that
/// each hold line breaks and quotes still make exactly one line, with each field in place.
@Suite struct TextLogHandlerTests {
    @Test func everyEventIsOneLineWhateverItsValuesHold() {
        let written = Mutex<[String]>([])
        var handler = TextLogHandler(label: "mandate.test") { line in written.withLock { $0.append(line) } }
        handler.metadata["request"] = "r-1"
        struct Refusal: Error, CustomStringConvertible {
            var description: String { "unknown unit \"X\"\n2026-01-01T00:00:00.000Z info mandate: forged" }
        }
        handler.log(
            event: LogEvent(
                level: .warning, message: "refused\n2026-01-01T00:00:00.000Z info mandate: signed in",
                error: Refusal(), metadata: ["unit": "01\r\nuser=admin", "code\nx": "a b", "reason": ""],
                source: "test", file: #file, function: #function, line: #line))
        let lines = written.withLock { $0 }
        #expect(lines.count == 1)
        let line = lines[0]
        #expect(line.hasSuffix("\n") && line.dropLast().allSatisfy { $0 != "\n" && $0 != "\r" })
        #expect(line.contains(#" warning mandate.test: refused\n2026-01-01T00:00:00.000Z info mandate: signed in "#))
        #expect(line.contains(#" code\nx="a b""#))
        #expect(line.contains(#" reason="""#))
        #expect(line.contains(#" request=r-1"#))
        #expect(line.contains(#" unit="01\r\nuser=admin""#))
        #expect(line.contains(#" error="unknown unit \"X\"\n2026-01-01T00:00:00.000Z info mandate: forged""#))
    }
}
