import Testing

@testable import MandateCore

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsAndLineNumbers() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\n2,\"two\nlines\",z\n3,,\n"
        let records = try CSVReader.records(text)
        #expect(records.map(\.line) == [1, 2, 4, 6])
        #expect(records[0].fields == ["a", "b", "c"])
        #expect(records[1].fields == ["1", "x, y", "say \"hi\""])
        #expect(records[2].fields == ["2", "two\nlines", "z"])
        #expect(records[3].fields == ["3", "", ""])
    }

    @Test func lastLineWithoutNewlineIsRead() throws {
        #expect(try CSVReader.records("a\nb").map(\.fields) == [["a"], ["b"]])
    }

    @Test func unclosedQuoteIsReportedWithItsLine() {
        #expect(throws: RowError(line: 2, column: nil, reason: "a quoted field is not closed")) {
            try CSVReader.records("a,b\n1,\"oops\n")
        }
    }

    @Test func quoteInsideUnquotedFieldIsRefused() {
        #expect(throws: RowError.self) { try CSVReader.records("a\nb\"c\n") }
    }
}
