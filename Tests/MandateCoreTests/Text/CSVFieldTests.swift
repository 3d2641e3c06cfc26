import MandateCore
import Testing

struct CSVFieldTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1", "'+1"), ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\r=1", "\"'\r=1\""), ("a=b", "a=b"), ("", ""),
        ("đã xác minh, đủ", "\"đã xác minh, đủ\""), (" =1", " =1"),
    ])
    func freeTextThatASpreadsheetWouldRunIsWrittenAsText(field: String, written: String) {
        #expect(CSVField.text(field) == written)
    }

    @Test(arguments: ["=1+1", "+84 912", "-", "@x", "\tt", "'=already", "''=x", "'plain", "plain", "x"])
    func whatIsWrittenReadsBackAsItWas(field: String) throws {
        // Written, read by the CSV reader, restored: the field as typed.
        var cursor = CSVCursor(Array((CSVField.text(field) + "\n").utf8))
        var fields: [String] = []
        _ = cursor.next(into: &fields)
        #expect(CSVField.restored(fields[0]) == field)
    }

    @Test func numbersAndCodesAreOnlyQuoted() {
        #expect(CSVField.quoted("-3.5") == "-3.5")
        #expect(CSVField.quoted("a,b") == "\"a,b\"")
    }
}
