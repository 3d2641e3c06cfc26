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

    @Test func unclosedQuoteIsReportedWithItsLine() throws {
        let failure = try #require(throws: ValidationFailure.self) { try CSVReader.records("a,b\n1,\"oops\n") }
        #expect(failure.errors.map(\.line) == [2])
        #expect(failure.errors.first?.reason.contains("not closed") == true)
    }

    @Test func quoteInsideUnquotedFieldIsRefused() throws {
        let failure = try #require(throws: ValidationFailure.self) { try CSVReader.records("a\nb\"c\n") }
        #expect(failure.errors.map(\.line) == [2])
    }

    /// One broken row does not hide the others: an unclosed quote is reported where it opened,
    /// and the lines after it are read as rows, with their own problems.
    @Test func theRowsAfterABrokenOneAreStillRead() {
        // A quote inside an unquoted field on line 2; a quote opened on line 3 and never closed.
        var cursor = CSVCursor(Array("a,b\nx\"y,1\n2,\"open\n3,x,extra\n4,w".utf8))
        var fields: [String] = []
        var read: [[String]] = []
        while cursor.next(into: &fields) != nil { read.append(fields) }
        #expect(read == [["a", "b"], ["3", "x", "extra"], ["4", "w"]])
        #expect(cursor.problems.map(\.line) == [2, 3])
    }

    /// Bytes that are not UTF-8 are refused with their line, never replaced and imported.
    @Test func textThatIsNotUTF8IsReportedWithItsLine() {
        let bytes = Array("a,b\n1,caf".utf8) + [0xE9] + Array("\n2,\"".utf8) + [0xFF, 0xFE] + Array("\"\n3,ok\n".utf8)
        var cursor = CSVCursor(bytes)
        var fields: [String] = []
        var read: [[String]] = []
        while cursor.next(into: &fields) != nil { read.append(fields) }
        #expect(read == [["a", "b"], ["3", "ok"]])
        #expect(cursor.problems.map(\.line) == [2, 3])
        #expect(cursor.problems.allSatisfy { $0.reason.contains("UTF-8") })
    }

    /// A whole file in another encoding is refused with each line that is not UTF-8.
    @Test func aFileThatIsNotUTF8IsRefusedWithItsLines() throws {
        #expect(try CSVReader.text(Array("a,b\nờ,1\n".utf8)) == "a,b\nờ,1\n")
        let latin1: [UInt8] =
            Array("code,name\n01,H".utf8) + [0xE0] + Array(" N".utf8) + [0xF4, 0x69] + Array("\n02,ok\n03,".utf8) + [
                0xC9
            ]
        let failure = try #require(throws: ValidationFailure.self) { try CSVReader.text(latin1) }
        #expect(failure.errors.map(\.line) == [2, 4])
    }

    /// A value import reports the rows it could not read among the rows of the wrong shape, and the
    /// rows after them are still checked.
    @Test func aValueImportReportsUnreadableRowsWithTheOthers() throws {
        let text = "indicator,unit,period,value\nBB,1,2025,\"1\nBB,2,2025\nBB,3,2025,3\n"
        var parts = try DataValueParts.csv(Array(text.utf8))
        let inputs = try parts.all()
        #expect(inputs.map(\.key.unit) == ["3"])
        #expect(parts.shapeErrors.map(\.line) == [2, 3])
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
