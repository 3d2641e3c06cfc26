import Testing

@testable import MandateCore

@Suite struct EvidenceTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let content: [UInt8]
        let name: String
        let type: String?
        var testDescription: String { name }
    }

    static func text(_ text: String) -> [UInt8] { Array(text.utf8) }
    static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)
    static let compound: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]
    static let ooxml: [UInt8] = zip + text("[Content_Types].xml")
    static let word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let excel = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let calc = "application/vnd.oasis.opendocument.spreadsheet"

    static let accepted: [Case] = [
        Case(content: text("%PDF-1.7\n"), name: "bien-ban.pdf", type: "application/pdf"),
        Case(content: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], name: "scan.png", type: "image/png"),
        Case(content: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], name: "anh.jpg", type: "image/jpeg"),
        Case(content: text("GIF89a") + [1, 0], name: "a.gif", type: "image/gif"),
        Case(content: text("RIFF") + [0, 0, 0, 0] + text("WEBPVP8 "), name: "a.webp", type: "image/webp"),
        Case(content: ooxml, name: "bao-cao.docx", type: word),
        Case(content: ooxml, name: "so-lieu.XLSX", type: excel),
        Case(content: zip + text("mimetype" + calc), name: "bang.ods", type: calc),
        Case(content: compound, name: "cu.doc", type: "application/msword"),
        Case(content: text("đơn vị,giá trị\n01,3\n"), name: "so-lieu.csv", type: "text/csv; charset=utf-8"),
        Case(content: text("\u{FEFF}biên bản nghiệm thu"), name: "bien-ban.txt", type: "text/plain; charset=utf-8"),
    ]

    @Test(arguments: accepted)
    func theContentDecidesTheType(_ file: Case) {
        #expect(EvidenceType.of(file.content, name: file.name) == file.type)
    }

    /// Refused whatever their name says: a web page, an SVG image (a markup document a browser
    /// runs), a program, a ZIP that is no office document, an office container under a name that
    /// does not say which document, text with a NUL byte or bytes that are not UTF-8.
    static let refused: [Case] = [
        Case(content: text("<!DOCTYPE html><script>alert(1)</script>"), name: "scan.png", type: nil),
        Case(
            content: text("  \n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), name: "c.txt",
            type: nil),
        Case(content: text("MZ") + [0x90, 0, 3, 0], name: "report.pdf", type: nil),
        Case(content: zip + text("payload.exe"), name: "bao-cao.docx", type: nil),
        Case(content: ooxml, name: "bao-cao.zip", type: nil),
        Case(content: compound, name: "thing.msi", type: nil),
        Case(content: text("a\u{0}b"), name: "note.txt", type: nil),
        Case(content: [0x63, 0x61, 0x66, 0xE9], name: "latin1.csv", type: nil),
    ]

    @Test(arguments: refused)
    func othersAreRefused(_ file: Case) {
        #expect(EvidenceType.of(file.content, name: file.name) == nil)
    }
}
