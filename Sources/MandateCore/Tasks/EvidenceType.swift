/// What an evidence file is, read from its bytes, never from the name or the type its uploader
/// gave: a report takes PDF, images (PNG, JPEG, GIF, WebP), office documents (Word, Excel,
/// PowerPoint, OpenDocument) and UTF-8 text (CSV, plain text). Anything else (a web page or
/// another markup document, a program, an archive) is refused, and a file is only ever served as the type its
/// content shows.
public enum EvidenceType {
    /// The media type the content shows, or nil when it is none of the kinds a report takes. The
    /// name's extension only tells apart documents whose containers are alike (a .docx from an
    /// .xlsx, a .doc from an .xls) and CSV from other text.
    public static func of(_ content: [UInt8], name: String) -> String? {
        let suffix = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            content.count >= offset + prefix.count && Array(content[offset..<(offset + prefix.count)]) == prefix
        }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return zipped[suffix].flatMap { isOffice(content, $0) ? $0 : nil } }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return compound[suffix] }
        guard !content.contains(0), String(validating: content, as: UTF8.self) != nil else { return nil }
        // A markup document (HTML, SVG, XML) is text a browser would run, not a note or a table.
        let first = content.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "<") { return nil }
        return suffix == "csv" ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8"
    }

    /// Office documents in a ZIP container, by extension.
    static let zipped: [String: String] = [
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation",
    ]

    /// Older office documents in a compound file, by extension.
    static let compound: [String: String] = [
        "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    ]

    /// Whether a ZIP file is an office document: an Office Open XML package names
    /// `[Content_Types].xml`, an OpenDocument one starts with its `mimetype` entry.
    static func isOffice(_ content: [UInt8], _ type: String) -> Bool {
        let marker = type.hasPrefix("application/vnd.oasis") ? "mimetype" + type : "[Content_Types].xml"
        let needle = Array(marker.utf8)
        let window = content.prefix(1 << 20)
        guard window.count >= needle.count else { return false }
        var index = window.startIndex
        while index <= window.endIndex - needle.count {
            if window[index] == needle[0] && window[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }

    /// Why a file is refused, in the words the API and the pages give.
    public static let refusal = ValidationFailure(
        field: "file",
        reason: "an evidence file is a PDF, an image (PNG, JPEG, GIF, WebP), an office document "
            + "(Word, Excel, PowerPoint, OpenDocument) or UTF-8 text (CSV, plain text); this one is none of them")
}
