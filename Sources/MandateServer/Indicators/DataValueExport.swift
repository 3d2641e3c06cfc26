import Foundation
import MandateCore
import NIOCore

/// Values written in the shapes the import reads.
enum DataValueExport {
    /// `indicator,unit,period,value,comment,evidence`, RFC 4180 quoting, the comment and evidence
    /// neutralised for spreadsheets (`CSVField.text`): importing it again changes nothing.
    static func csv(_ values: [DataValue]) -> String {
        var text = DataValueFile.columns.joined(separator: ",") + "\n"
        for value in values {
            text +=
                [value.indicator, value.unit, value.period, ValueText.format(value.value)].map(CSVField.quoted)
                .joined(separator: ",") + "," + CSVField.text(value.comment ?? "") + ","
                + CSVField.text(value.evidence ?? "") + "\n"
        }
        return text
    }

    /// `{"dataValues": […]}`: the import's shape, each item with `illustrative: true` when its
    /// indicator's data are illustrative. Written directly: byte for byte what `JSONEncoder.api`
    /// writes for the same items (keys sorted, an absent field left out, slashes as they are;
    /// `DataValueExportTests`), which spent a fifth of a 3,321-value slice's time.
    static func json(_ values: [DataValue], illustrative: Set<String>) -> ByteBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 96 + 16)
        out.append(contentsOf: #"{"dataValues":["#.utf8)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var first = true
            func field(_ name: String, _ text: String) {
                out.append(contentsOf: first ? #"{""#.utf8 : #",""#.utf8)
                first = false
                out.append(contentsOf: name.utf8)
                out.append(contentsOf: #"":"#.utf8)
                JSONText.string(text, into: &out)
            }
            if let comment = value.comment { field("comment", comment) }
            field("dataElement", value.indicator)
            if let evidence = value.evidence { field("evidence", evidence) }
            if illustrative.contains(value.indicator) { out.append(contentsOf: #","illustrative":true"#.utf8) }
            field("orgUnit", value.unit)
            field("period", value.period)
            field("value", ValueText.format(value.value))
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return ByteBuffer(bytes: out)
    }
}

/// JSON text as Foundation's encoder writes it.
enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string: quotes and backslashes escaped, control characters as `\b \f \n
    /// \r \t` or `\u00XX`, everything else (slashes, letters beyond ASCII) as it is.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
