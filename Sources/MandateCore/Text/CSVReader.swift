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
        var cursor = CSVCursor(Array(text.utf8))
        var records: [CSVRecord] = []
        var fields: [String] = []
        while let line = try cursor.next(into: &fields) {
            records.append(CSVRecord(line: line, fields: fields))
        }
        return records
    }
}

/// Reads a CSV file one record at a time, so that a long file is read as its rows are used, into
/// one reused array of fields.
public struct CSVCursor: Sendable {
    private let bytes: [UInt8]
    private var index: Int
    /// The line the reader is on (1-based).
    private var line = 1
    /// A quoted field's bytes, with its doubled quotes undone.
    private var quoted: [UInt8] = []

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// How many line feeds follow the cursor: an upper bound on the records left.
    public var lineFeedsLeft: Int {
        bytes[index...].reduce(into: 0) { count, byte in if byte == Self.lf { count += 1 } }
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"),
        lf = UInt8(ascii: "\n")

    /// Reads the next record into `fields` and returns the line it starts on; nil at the end.
    /// Blank lines carry no record.
    public mutating func next(into fields: inout [String]) throws(RowError) -> Int? {
        let result = bytes.withUnsafeBufferPointer { read($0, into: &fields) }
        return try result.get()
    }

    private mutating func read(
        _ bytes: UnsafeBufferPointer<UInt8>, into fields: inout [String]
    ) -> Result<
        Int?, RowError
    > {
        fields.removeAll(keepingCapacity: true)
        var recordLine = line
        var start = index
        // A field that began with a quote is gathered in `quoted`; any other is a slice of `bytes`.
        var isQuoted = false
        var inQuotes = false

        func endField(at end: Int) {
            if isQuoted {
                fields.append(String(decoding: quoted, as: UTF8.self))
                quoted.removeAll(keepingCapacity: true)
                isQuoted = false
            } else {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            }
        }
        /// Ends the record at the line end at `end`: true if it holds a record, false for a blank line.
        func endRecord(at end: Int) -> Bool {
            let blank = fields.isEmpty && !isQuoted && start == end
            endField(at: end)
            if blank {
                fields.removeAll(keepingCapacity: true)
                return false
            }
            // A lone quoted empty field is a blank line too, as it always was.
            if fields.count == 1 && fields[0].isEmpty {
                fields.removeAll(keepingCapacity: true)
                return false
            }
            return true
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == Self.quote {
                    if index < bytes.count && bytes[index] == Self.quote {
                        quoted.append(Self.quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == Self.lf { line += 1 }
                    quoted.append(byte)
                }
                continue
            }
            switch byte {
            case Self.quote:
                guard index - 1 == start && !isQuoted else {
                    return .failure(RowError(line: line, column: nil, reason: "a quote inside an unquoted field"))
                }
                inQuotes = true
                isQuoted = true
            case Self.comma:
                endField(at: index - 1)
                start = index
            case Self.cr where index < bytes.count && bytes[index] == Self.lf:
                // The line feed that follows ends the record.
                if isQuoted { continue }
                // An unquoted field ends before the carriage return.
                let end = index - 1
                index += 1
                let isRecord = endRecord(at: end)
                line += 1
                if isRecord { return .success(recordLine) }
                recordLine = line
                start = index
            case Self.cr, Self.lf:
                let isRecord = endRecord(at: index - 1)
                line += 1
                if isRecord { return .success(recordLine) }
                recordLine = line
                start = index
            default:
                if isQuoted { quoted.append(byte) }
            }
        }
        if inQuotes {
            return .failure(RowError(line: recordLine, column: nil, reason: "a quoted field is not closed"))
        }
        // The last record, when the file does not end with a line end.
        if (start < index || !fields.isEmpty) && endRecord(at: index) {
            start = index
            return .success(recordLine)
        }
        return .success(nil)
    }
}
