import Foundation

/// A node of an RDF graph with what is said of it, written as JSON-LD or Turtle by the catalogue's
/// DCAT-AP export. Predicates and types are compact names over `RDFNode.prefixes`
/// ("dct:title"); subjects and IRI objects are full IRIs.
public struct RDFNode: Sendable, Hashable {
    /// The node's IRI; nil for a blank node, which is written inside the node that names it.
    public var id: String?
    public var types: [String]
    public var properties: [(predicate: String, objects: [RDFObject])]

    public init(id: String?, types: [String], properties: [(predicate: String, objects: [RDFObject])] = []) {
        self.id = id
        self.types = types
        self.properties = properties
    }

    /// Adds `objects` under `predicate`, unless there are none.
    public mutating func add(_ predicate: String, _ objects: [RDFObject]) {
        if !objects.isEmpty { properties.append((predicate, objects)) }
    }

    public static func == (lhs: RDFNode, rhs: RDFNode) -> Bool {
        lhs.id == rhs.id && lhs.types == rhs.types
            && lhs.properties.map(\.predicate) == rhs.properties.map(\.predicate)
            && lhs.properties.map(\.objects) == rhs.properties.map(\.objects)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(types)
        for property in properties {
            hasher.combine(property.predicate)
            hasher.combine(property.objects)
        }
    }

    /// The vocabularies the export uses, by prefix.
    public static let prefixes: [(prefix: String, iri: String)] = [
        ("dcat", "http://www.w3.org/ns/dcat#"), ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"), ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"), ("locn", "http://www.w3.org/ns/locn#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"), ("dcatap", "http://data.europa.eu/r5r/"),
        ("eli", "http://data.europa.eu/eli/ontology#"), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ]
}

/// What a property of a node says: an IRI, a literal in a language, a typed literal, or a blank
/// node.
public indirect enum RDFObject: Sendable, Hashable {
    case iri(String)
    case text(String, language: String)
    case typed(String, datatype: String)
    case node(RDFNode)
}

/// Writes nodes as JSON-LD objects of one document's `@graph`.
public enum JSONLDWriter {
    /// The start of a document, up to the first node of its graph; relative IRIs are relative to
    /// `base`.
    public static func head(base: String) -> [UInt8] {
        var out = Array(#"{"@context":{"@base":"#.utf8)
        JSONText.string(base, into: &out)
        for prefix in RDFNode.prefixes {
            out.append(UInt8(ascii: ","))
            JSONText.key(prefix.prefix, into: &out)
            JSONText.string(prefix.iri, into: &out)
        }
        out.append(contentsOf: "},\"@graph\":[\n".utf8)
        return out
    }

    public static let separator = Array(",\n".utf8)
    public static let tail = Array("\n]}\n".utf8)

    public static func write(_ node: RDFNode, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func member(_ key: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONText.key(key, into: &out)
        }
        if let id = node.id {
            member("@id")
            JSONText.string(id, into: &out)
        }
        if !node.types.isEmpty {
            member("@type")
            list(node.types, into: &out) { JSONText.string($0, into: &$1) }
        }
        for (predicate, objects) in node.properties {
            member(predicate)
            list(objects, into: &out) { write($0, into: &$1) }
        }
        out.append(UInt8(ascii: "}"))
    }

    static func list<T>(_ items: [T], into out: inout [UInt8], _ each: (T, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            each(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func write(_ object: RDFObject, into out: inout [UInt8]) {
        switch object {
        case .iri(let iri):
            out.append(contentsOf: #"{"@id":"#.utf8)
            JSONText.string(iri, into: &out)
            out.append(UInt8(ascii: "}"))
        case .text(let text, let language):
            out.append(contentsOf: #"{"@value":"#.utf8)
            JSONText.string(text, into: &out)
            out.append(contentsOf: #","@language":"#.utf8)
            JSONText.string(language, into: &out)
            out.append(UInt8(ascii: "}"))
        case .typed(let text, let datatype):
            out.append(contentsOf: #"{"@value":"#.utf8)
            JSONText.string(text, into: &out)
            out.append(contentsOf: #","@type":"#.utf8)
            JSONText.string(datatype, into: &out)
            out.append(UInt8(ascii: "}"))
        case .node(let node): write(node, into: &out)
        }
    }
}

/// Writes nodes as Turtle statements.
public enum TurtleWriter {
    /// The prefixes, and `base` as the base of relative IRIs.
    public static func head(base: String) -> String {
        "@base \(iri(base)) .\n" + RDFNode.prefixes.map { "@prefix \($0.prefix): <\($0.iri)> .\n" }.joined() + "\n"
    }

    /// The node's statements, then those of each named node it holds (written apart, since
    /// Turtle names them by IRI where they are used).
    public static func write(_ node: RDFNode) -> String {
        var out: [UInt8] = []
        write(node, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `write(_:)`, appended to `out` as UTF-8.
    public static func write(_ node: RDFNode, into out: inout [UInt8]) {
        var named: [RDFNode] = []
        statement(node, named: &named, into: &out)
        var next = 0
        while next < named.count {
            statement(named[next], named: &named, into: &out)
            next += 1
        }
    }

    static func statement(_ node: RDFNode, named: inout [RDFNode], into out: inout [UInt8]) {
        if let id = node.id { iri(id, into: &out) } else { out += Array("[]".utf8) }
        out.append(UInt8(ascii: " "))
        body(node, indent: 4, named: &named, into: &out)
        out += Array(" .\n\n".utf8)
    }

    static func body(_ node: RDFNode, indent: Int, named: inout [RDFNode], into out: inout [UInt8]) {
        var first = true
        func separate() {
            if !first {
                out += Array(" ;\n".utf8)
                out += repeatElement(UInt8(ascii: " "), count: indent)
            }
            first = false
        }
        if !node.types.isEmpty {
            separate()
            out += Array("a ".utf8)
            for (index, type) in node.types.enumerated() {
                if index > 0 { out += Array(", ".utf8) }
                out += Array(type.utf8)
            }
        }
        for (predicate, objects) in node.properties {
            separate()
            out += Array(predicate.utf8)
            out.append(UInt8(ascii: " "))
            for (index, object) in objects.enumerated() {
                if index > 0 { out += Array(", ".utf8) }
                write(object, indent: indent + 4, named: &named, into: &out)
            }
        }
    }

    static func write(_ object: RDFObject, indent: Int, named: inout [RDFNode], into out: inout [UInt8]) {
        switch object {
        case .iri(let text): iri(text, into: &out)
        case .text(let text, let language):
            literal(text, into: &out)
            out.append(UInt8(ascii: "@"))
            out += Array(language.utf8)
        case .typed(let text, let datatype):
            literal(text, into: &out)
            out += Array("^^".utf8)
            out += Array(datatype.utf8)
        case .node(let node):
            guard let id = node.id else {
                out += Array("[ ".utf8)
                body(node, indent: indent, named: &named, into: &out)
                out += Array(" ]".utf8)
                return
            }
            if !node.types.isEmpty || !node.properties.isEmpty { named.append(node) }
            iri(id, into: &out)
        }
    }

    /// An IRI between angle brackets, with the characters Turtle forbids there percent-encoded.
    public static func iri(_ text: String) -> String {
        var out: [UInt8] = []
        iri(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func iri(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        for byte in text.utf8 {
            // Bytes of characters past ASCII are written as they are; forbidden ASCII is encoded.
            if byte <= 0x20 || (byte < 0x80 && Self.forbiddenInIRI.contains(byte)) {
                out.append(UInt8(ascii: "%"))
                hex(byte, into: &out)
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: ">"))
    }

    static let forbiddenInIRI = Set("<>\"{}|^`\\".utf8)

    /// `byte` as two upper-case hexadecimal digits.
    static func hex(_ byte: UInt8, into out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }

    public static func literal(_ text: String) -> String {
        var out: [UInt8] = []
        literal(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func literal(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\n"): out += Array("\\n".utf8)
            case UInt8(ascii: "\r"): out += Array("\\r".utf8)
            case UInt8(ascii: "\t"): out += Array("\\t".utf8)
            case 0..<0x20:
                out += Array("\\u00".utf8)
                hex(byte, into: &out)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
