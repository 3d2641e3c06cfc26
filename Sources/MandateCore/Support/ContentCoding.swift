/// How an answer travels (RFC 9110, section 8.4): compressed with gzip when the client accepts it
/// and the answer is text worth compressing, as it is otherwise. A commune official on a slow
/// connection gets a page of 150 KB in about 30.
///
/// The one rule for the router's answers and the edge's kept ones alike.
public enum ContentCoding: String, Sendable, Equatable {
    case identity
    case gzip

    /// Answers shorter than this go as they are: a compressed header costs about what it saves.
    public static let minimumLength = 1024

    /// The coding for a request's `Accept-Encoding` (RFC 9110, section 12.5.3): gzip when the client
    /// names it (or `x-gzip`) or accepts `*` without naming it, with a weight above zero; identity
    /// otherwise, and when the field is absent. An entry whose weight cannot be read counts as not
    /// accepted.
    public static func chosen(acceptEncoding: String?) -> ContentCoding {
        guard let acceptEncoding else { return .identity }
        var named: Double?
        var any: Double?
        for entry in acceptEncoding.split(separator: ",") {
            let parts = entry.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = first.trimmingSpaces().lowercased()
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let parameter = parameter.trimmingSpaces().lowercased()
                guard parameter.hasPrefix("q=") else { continue }
                weight = Self.weight(parameter.dropFirst(2)) ?? 0
            }
            switch coding {
            case "gzip", "x-gzip": named = max(named ?? 0, weight)
            case "*": any = weight
            default: continue
            }
        }
        return (named ?? any ?? 0) > 0 ? .gzip : .identity
    }

    /// Whether an answer of this media type (a `Content-Type` value) and length (nil while it is
    /// streamed) is sent compressed to a client that accepts it: text, JSON, XML, SVG and CSV of at
    /// least `minimumLength` bytes; never a live event stream, which must reach the reader as each
    /// event is written, nor what is compressed already (images, PDF, spreadsheets, archives).
    public static func compresses(mediaType: String?, length: Int?) -> Bool {
        if let length, length < minimumLength { return false }
        guard let mediaType else { return false }
        let essence = mediaType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() }
        guard let essence, let slash = essence.firstIndex(of: "/") else { return false }
        let type = essence[..<slash]
        let subtype = essence[essence.index(after: slash)...]
        switch type {
        case "text": return subtype != "event-stream"
        case "application":
            return ["json", "xml", "javascript", "n-triples", "x-ndjson", "sql"].contains(subtype)
                || subtype.hasSuffix("+json") || subtype.hasSuffix("+xml")
        case "image": return subtype == "svg+xml"
        default: return false
        }
    }

    /// A qvalue (RFC 9110, section 12.4.2): 0 to 1 with at most three decimals.
    private static func weight(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(text), (0...1).contains(value)
        else { return nil }
        return value
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
