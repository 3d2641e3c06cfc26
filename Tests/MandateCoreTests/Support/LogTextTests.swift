import Testing

@testable import MandateCore

/// What a value can do to a log line: nothing.
@Suite struct LogTextTests {
    @Test func plainTextIsWrittenAsItIs() {
        #expect(LogText.escaped("Hà Nội, 2025Q1: 74,45 %") == "Hà Nội, 2025Q1: 74,45 %")
        #expect(LogText.field("00004") == "00004")
    }

    @Test(arguments: [
        ("a\nb", #"a\nb"#), ("a\r\nb", #"a\r\nb"#), ("a\tb", #"a\tb"#), (#"a\nb"#, #"a\\nb"#),
        ("a\u{2028}b", #"a\u{2028}b"#), ("a\u{2029}b", #"a\u{2029}b"#), ("x\u{202E}gpj.exe", #"x\u{202E}gpj.exe"#),
        ("a\u{200B}b", #"a\u{200B}b"#), ("a\u{0}b\u{7F}c\u{85}d", #"a\u{0}b\u{7F}c\u{85}d"#),
        ("a\u{1B}[31mb", #"a\u{1B}[31mb"#),
    ])
    func whatCouldBreakOrDisguiseALineIsEscaped(text: String, written: String) {
        #expect(LogText.escaped(text) == written)
        #expect(!LogText.escaped(text).unicodeScalars.contains { LogText.needsEscape($0) && $0 != "\\" })
    }

    @Test func aFieldThatCouldPassForAnotherIsQuoted() {
        #expect(LogText.field("") == #""""#)
        #expect(LogText.field("a b") == #""a b""#)
        #expect(LogText.field(#"x" user="admin"#) == #""x\" user=\"admin""#)
        #expect(LogText.field("a=b") == #""a=b""#)
        #expect(LogText.field("evil\nlevel=info") == #""evil\nlevel=info""#)
    }
}
