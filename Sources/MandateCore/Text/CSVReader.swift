/// A record of a CSV file with the line it starts on (1-based, the header is line 1).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// Reads RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends, an optional UTF-8 BOM.
///
/// Every delimiter is ASCII, so the reader walks the UTF-8 bytes and decodes each field once: a
/// million-row import spends its time on the rows, not on the reading.
///
/// A record that cannot be read (a quote inside an unquoted field, a field that is not UTF-8, a
/// quoted field never closed) is reported with its line and passed over, and reading goes on,
/// so that one broken row does not hide the problems of the rows after it. A quoted field never
/// closed swallows the rest of the file as one field; the reader reports it on the line where the
/// quote opened and goes on from the line after that one.
public enum CSVReader {
    /// A file's bytes as text, or each line that is not UTF-8 (at most 100 of them): a file saved
    /// in another encoding is refused with its lines, never read with replaced characters.
    public static func text(_ bytes: [UInt8]) throws(ValidationFailure) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var errors: [RowError] = []
        var line = 1
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil, errors.count < 100 {
                errors.append(
                    RowError(
                        line: line, column: nil, en: "the line is not UTF-8 text (save the file as UTF-8)",
                        vi: "dòng không phải văn bản UTF-8 (hãy lưu tệp ở dạng UTF-8)"))
            }
            line += 1
            start = index + 1
        }
        throw ValidationFailure(errors)
    }

    /// Every record, or every record's problem.
    public static func records(_ text: String) throws(ValidationFailure) -> [CSVRecord] {
        var cursor = CSVCursor(Array(text.utf8))
        var records: [CSVRecord] = []
        var fields: [String] = []
        while let line = cursor.next(into: &fields) {
            records.append(CSVRecord(line: line, fields: fields))
        }
        if !cursor.problems.isEmpty { throw ValidationFailure(cursor.problems) }
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
    /// The records that could not be read, each with its line, in file order.
    public private(set) var problems: [RowError] = []

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
    /// Blank lines carry no record; records that cannot be read are added to `problems` and
    /// passed over.
    public mutating func next(into fields: inout [String]) -> Int? {
        bytes.withUnsafeBufferPointer { read($0, into: &fields) }
    }

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, into fields: inout [String]) -> Int? {
        fields.removeAll(keepingCapacity: true)
        var recordLine = line
        var start = index
        // A field that began with a quote is gathered in `quoted`; any other is a slice of `bytes`.
        var isQuoted = false
        var inQuotes = false
        // Where the open quote is, to go on after it if it is never closed.
        var quoteIndex = 0
        var quoteLine = 0
        // A field of the record is not UTF-8: the record is reported and passed over.
        var unreadable = false

        func decoded(_ field: UnsafeBufferPointer<UInt8>) -> String {
            if field.allSatisfy({ $0 < 0x80 }) { return String(decoding: field, as: UTF8.self) }
            if let text = String(validating: field, as: UTF8.self) { return text }
            if !unreadable {
                problems.append(
                    RowError(
                        line: recordLine, column: nil,
                        en: "field \(fields.count + 1) is not UTF-8 text (save the file as UTF-8)",
                        vi: "trường \(fields.count + 1) không phải văn bản UTF-8 (hãy lưu tệp ở dạng UTF-8)"))
            }
            unreadable = true
            return ""
        }
        func endField(at end: Int) {
            if isQuoted {
                fields.append(quoted.withUnsafeBufferPointer { decoded($0) })
                quoted.removeAll(keepingCapacity: true)
                isQuoted = false
            } else {
                fields.append(decoded(UnsafeBufferPointer(rebasing: bytes[start..<end])))
            }
        }
        /// Ends the record at the line end at `end`: true if it holds a record, false for a blank
        /// line or an unreadable record.
        func endRecord(at end: Int) -> Bool {
            let blank = fields.isEmpty && !isQuoted && start == end
            endField(at: end)
            if blank || unreadable {
                fields.removeAll(keepingCapacity: true)
                unreadable = false
                return false
            }
            // A lone quoted empty field is a blank line too, as it always was.
            if fields.count == 1 && fields[0].isEmpty {
                fields.removeAll(keepingCapacity: true)
                return false
            }
            return true
        }
        /// Passes over the rest of the line the reader is on: the record is dropped.
        func skipLine() {
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == Self.lf { break }
                if byte == Self.cr {
                    if index < bytes.count && bytes[index] == Self.lf { index += 1 }
                    break
                }
            }
            line += 1
            fields.removeAll(keepingCapacity: true)
            quoted.removeAll(keepingCapacity: true)
            isQuoted = false
            inQuotes = false
            unreadable = false
            recordLine = line
            start = index
        }

        while true {
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
                        problems.append(
                            RowError(
                                line: line, column: nil,
                                en: "field \(fields.count + 1) has a quote inside it without being quoted",
                                vi:
                                    "trường \(fields.count + 1) có dấu ngoặc kép bên trong mà không được đặt trong ngoặc kép"
                            ))
                        skipLine()
                        continue
                    }
                    inQuotes = true
                    isQuoted = true
                    quoteIndex = index - 1
                    quoteLine = line
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
                    if isRecord { return recordLine }
                    recordLine = line
                    start = index
                case Self.cr, Self.lf:
                    let isRecord = endRecord(at: index - 1)
                    line += 1
                    if isRecord { return recordLine }
                    recordLine = line
                    start = index
                default:
                    if isQuoted { quoted.append(byte) }
                }
            }
            guard inQuotes else { break }
            problems.append(
                RowError(
                    line: quoteLine, column: nil,
                    en: "a quoted field opened on this line is not closed; the lines after it are read as rows",
                    vi: "một trường mở ngoặc kép ở dòng này không được đóng; các dòng sau được đọc như các hàng"))
            index = quoteIndex
            line = quoteLine
            skipLine()
        }
        // The last record, when the file does not end with a line end.
        if (start < index || !fields.isEmpty) && endRecord(at: index) {
            start = index
            return recordLine
        }
        return nil
    }
}
