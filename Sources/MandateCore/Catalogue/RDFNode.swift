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
        var named: [RDFNode] = []
        var text = "\(node.id.map(iri) ?? "[]") \(body(node, indent: "    ", named: &named)) .\n\n"
        while !named.isEmpty {
            let next = named.removeFirst()
            text += "\(iri(next.id!)) \(body(next, indent: "    ", named: &named)) .\n\n"
        }
        return text
    }

    static func body(_ node: RDFNode, indent: String, named: inout [RDFNode]) -> String {
        var parts: [String] = []
        if !node.types.isEmpty { parts.append("a " + node.types.joined(separator: ", ")) }
        for (predicate, objects) in node.properties {
            let written = objects.map { write($0, indent: indent + "    ", named: &named) }
            parts.append("\(predicate) " + written.joined(separator: ", "))
        }
        return parts.joined(separator: " ;\n" + indent)
    }

    static func write(_ object: RDFObject, indent: String, named: inout [RDFNode]) -> String {
        switch object {
        case .iri(let text): return iri(text)
        case .text(let text, let language): return "\(literal(text))@\(language)"
        case .typed(let text, let datatype): return "\(literal(text))^^\(datatype)"
        case .node(let node):
            guard let id = node.id else { return "[ \(body(node, indent: indent, named: &named)) ]" }
            if !node.types.isEmpty || !node.properties.isEmpty { named.append(node) }
            return iri(id)
        }
    }

    /// An IRI between angle brackets, with the characters Turtle forbids there percent-encoded.
    public static func iri(_ text: String) -> String {
        var written = "<"
        for scalar in text.unicodeScalars {
            if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                for byte in String(scalar).utf8 { written += String(format: "%%%02X", byte) }
            } else {
                written.unicodeScalars.append(scalar)
            }
        }
        return written + ">"
    }

    public static func literal(_ text: String) -> String {
        var written = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": written += "\\\\"
            case "\"": written += "\\\""
            case "\n": written += "\\n"
            case "\r": written += "\\r"
            case "\t": written += "\\t"
            default:
                if scalar.value < 0x20 {
                    written += String(format: "\\u%04X", scalar.value)
                } else {
                    written.unicodeScalars.append(scalar)
                }
            }
        }
        return written + "\""
    }
}
