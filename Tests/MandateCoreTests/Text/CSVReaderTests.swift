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

    @Test func fieldsAreTrimmedOfWhitespaceOnly() {
        #expect(
            ["a", " a ", "\tờ b\u{00A0}", "", " ", "ờ", "\"x\""].map { $0.trimmingWhitespace() } == [
                "a", "a", "ờ b", "", "", "ờ", "\"x\"",
            ])
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

    /// Random records written the RFC 4180 way (quoted when they hold a delimiter, any line end,
    /// blank lines between) read back field for field, each on the line it starts on.
    @Test func randomFilesReadBackAsWritten() throws {
        var generator = SeededGenerator(seed: 57)
        let alphabet: [String] = ["a", "b", "ờ", " ", ",", "\"", "\n", "\r", "\r\n", "1", "."]
        for _ in 0..<200 {
            var text = ""
            var line = 1
            var expected: [CSVRecord] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                // A line feed right after a lone carriage return would make one line end of the two.
                while !text.hasSuffix("\r") && Int.random(in: 0..<4, using: &generator) == 0 {
                    text += "\n"
                    line += 1
                }
                let count = Int.random(in: 1...4, using: &generator)
                var fields = (0..<count).map { _ in
                    (0..<Int.random(in: 0...5, using: &generator)).map { _ in alphabet.randomElement(using: &generator)!
                    }
                    .joined()
                }
                // A record of one empty field is a blank line.
                if fields == [""] { fields = ["x"] }
                expected.append(CSVRecord(line: line, fields: fields))
                text += fields.map { field in
                    let special = field.unicodeScalars.contains { ",\"\r\n".unicodeScalars.contains($0) }
                    guard special || Bool.random(using: &generator) && !field.isEmpty else { return field }
                    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }.joined(separator: ",")
                line += fields.joined().unicodeScalars.filter { $0 == "\n" }.count
                text += ["\n", "\r\n", "\r"].randomElement(using: &generator)!
                line += 1
            }
            let records = try CSVReader.records(text)
            #expect(records == expected, "\(text.debugDescription)")
        }
    }

    @Test func aFileIsReadPartByPartAsWhole() throws {
        let text =
            "indicator,unit,period,value,comment\r\n" + (0..<23).map { "BB,\($0),2025,\($0),\"c, \($0)\"\r\n" }.joined()
        let whole = try DataValueFile.csv(text)
        #expect(whole.count == 23 && whole.last?.comment == "c, 22" && whole.last?.origin == .line(24))
        for size in [1, 2, 7, 23, 50] {
            var parts = try DataValueParts.csv(Array(text.utf8))
            var read: [DataValueInput] = []
            while let part = try parts.next(upTo: size) {
                #expect(part.count <= size)
                read += part
            }
            #expect(read == whole)
        }
        // Rows of the wrong shape are each reported, and the rows around them still read.
        var parts = try DataValueParts.csv(
            Array("indicator,unit,period,value\nBB,1,2025\nBB,2,2025,2\nBB,3,2025,3,x\n".utf8))
        #expect(try parts.next(upTo: 10)?.map(\.key.unit) == ["2"])
        #expect(parts.shapeErrors.map(\.line) == [2, 4])
        #expect(throws: ValidationFailure.self) { try DataValueFile.csv("indicator,unit,period,value\nBB,1,2025\n") }
    }
}
