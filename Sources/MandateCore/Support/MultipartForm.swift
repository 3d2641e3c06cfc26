import Foundation

/// A `multipart/form-data` body (RFC 7578): its text fields and its files.
public struct MultipartForm: Sendable {
    public struct File: Sendable {
        public var name: String
        public var filename: String
        public var contentType: String
        public var content: Data
    }

    public private(set) var fields: [String: String] = [:]
    public private(set) var files: [File] = []

    public subscript(_ key: String) -> String? { fields[key] }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    public static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            let unquoted =
                value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
                ? String(value.dropFirst().dropLast()) : value
            return unquoted.isEmpty || unquoted.count > 70 ? nil : unquoted
        }
        return nil
    }

    /// Parses a body; nil when it is not well-formed multipart with this boundary.
    public init?(bytes: Data, boundary: String) {
        // Indices from 0, whatever slice was given.
        let bytes = Data(bytes)
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        guard var cursor = bytes.range(of: delimiter)?.upperBound else { return nil }
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes[cursor...].starts(with: Data("--".utf8)) { return }
            guard bytes[cursor...].starts(with: Data("\r\n".utf8)) else { return nil }
            let partStart = cursor + 2
            guard let headerEnd = bytes.range(of: separator, in: partStart..<bytes.endIndex),
                let next = bytes.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<bytes.endIndex)
            else { return nil }
            let headers = String(decoding: bytes[partStart..<headerEnd.lowerBound], as: UTF8.self)
            let content = bytes[headerEnd.upperBound..<next.lowerBound]
            var name: String?
            var filename: String?
            var type = "application/octet-stream"
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.parameter("name", in: line)
                    filename = Self.parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
                }
            }
            if let name {
                if let filename {
                    files.append(File(name: name, filename: filename, contentType: type, content: Data(content)))
                } else if fields[name] == nil {
                    fields[name] = String(decoding: content, as: UTF8.self)
                }
            }
            cursor = next.upperBound
        }
    }

    /// A `key="value"` parameter of a `Content-Disposition` line.
    private static func parameter(_ key: String, in line: String) -> String? {
        for item in line.split(separator: ";").dropFirst() {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
                ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }
}
