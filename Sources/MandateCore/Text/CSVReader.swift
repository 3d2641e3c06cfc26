/// A record of a CSV file with the line it starts on (1-based, the header is line 1).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// Reads RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends, an optional UTF-8 BOM.
///
/// Every delimiter is ASCII, so the reader walks the UTF-8 bytes and decodes each field once: a
/// million-row import spends its time on the rows, not on the reading.
public enum CSVReader {
    public static func records(_ text: String) throws(RowError) -> [CSVRecord] {
        var text = text
        let result = text.withUTF8 { parse($0) }
        return try result.get()
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"),
        lf = UInt8(ascii: "\n")

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<[CSVRecord], RowError> {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // Blank lines carry no record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < bytes.count && bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote:
                guard field.isEmpty && !fieldWasQuoted else {
                    return .failure(RowError(line: line, column: nil, reason: "a quote inside an unquoted field"))
                }
                inQuotes = true
                fieldWasQuoted = true
            case comma:
                endField()
            case cr:
                if index < bytes.count && bytes[index] == lf { continue }
                endRecord()
                line += 1
                recordLine = line
            case lf:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        if inQuotes {
            return .failure(RowError(line: recordLine, column: nil, reason: "a quoted field is not closed"))
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return .success(records)
    }
}
