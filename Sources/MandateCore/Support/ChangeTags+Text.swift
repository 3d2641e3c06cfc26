/// Tags as text, for an internal response header and for PostgreSQL's notifications to other
/// instances: tokens separated by single spaces (`unit:01 indicator:HT_BANGRONG values log`), in
/// a stable order; a code's bytes outside `A–Z a–z 0–9 - . _ ~` are percent-encoded.
extension ChangeTags: CustomStringConvertible {
    public var description: String {
        tags.map(\.token).sorted().joined(separator: " ")
    }

    /// Parses `description`'s form; nil if any token is not a tag (the caller then assumes
    /// `everything`). An empty text is no tag.
    public init?(parsing text: some StringProtocol) {
        var tags: [ChangeTag] = []
        for token in text.split(separator: " ") {
            guard let tag = ChangeTag(token: token) else { return nil }
            tags.append(tag)
        }
        self.init(tags)
    }
}

extension ChangeTag {
    private static let words: [String: ChangeTag] = [
        "values": .values, "tasks": .tasks, "rankings": .rankings, "log": .log, "checkpoint": .checkpoint,
        "units": .units, "definitions": .definitions, "ratings": .ratings, "catalogue": .catalogue,
        "everything": .everything,
    ]

    var token: String {
        switch self {
        case .unit(let code): "unit:" + Self.escape(code)
        case .indicator(let code): "indicator:" + Self.escape(code)
        case .task(let code): "task:" + Self.escape(code)
        case .values: "values"
        case .tasks: "tasks"
        case .rankings: "rankings"
        case .log: "log"
        case .checkpoint: "checkpoint"
        case .units: "units"
        case .definitions: "definitions"
        case .ratings: "ratings"
        case .catalogue: "catalogue"
        case .everything: "everything"
        }
    }

    init?(token: some StringProtocol) {
        guard let colon = token.firstIndex(of: ":") else {
            guard let word = Self.words[String(token)] else { return nil }
            self = word
            return
        }
        guard let code = Self.unescape(token[token.index(after: colon)...]), !code.isEmpty else { return nil }
        switch token[..<colon] {
        case "unit": self = .unit(code)
        case "indicator": self = .indicator(code)
        case "task": self = .task(code)
        default: return nil
        }
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    static func escape(_ code: String) -> String {
        guard !code.utf8.allSatisfy(isPlain) else { return code }
        var bytes: [UInt8] = []
        for byte in code.utf8 {
            if isPlain(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func unescape(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                guard isPlain(byte) else { return nil }
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(digit), let low = iterator.next().flatMap(digit) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
