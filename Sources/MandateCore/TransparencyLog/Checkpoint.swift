/// A transparency log checkpoint body (C2SP tlog-checkpoint): origin, tree size, root hash, extension lines.
public struct Checkpoint: Hashable, Sendable {
    /// The log's identity, e.g. `example.com/log42`.
    public let origin: String
    /// The number of leaves in the tree.
    public let treeSize: UInt64
    /// The RFC 6962 root hash of the tree.
    public let rootHash: MerkleHash
    /// Optional opaque extension lines, each non-empty.
    public let extensions: [String]

    /// A checkpoint; the origin and each extension must be a non-empty line without control characters.
    public init(
        origin: String, treeSize: UInt64, rootHash: MerkleHash, extensions: [String] = []
    ) throws(CheckpointError) {
        try Self.checkLine(origin, number: 1)
        for (offset, line) in extensions.enumerated() {
            try Self.checkLine(line, number: offset + 4)
        }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint body strictly: three or more non-empty lines, canonical size and root encodings.
    public init(text: String) throws(CheckpointError) {
        // Splitting bytes rather than Characters keeps "\r\n" from passing as a line break.
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "\n") else { throw .missingFinalNewline }
        let lines = bytes.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw .tooFewLines(lines.count) }
        for (offset, line) in lines.enumerated() {
            try Self.checkLine(line, number: offset + 1)
        }
        guard let size = Self.decimal(lines[1]) else { throw .invalidTreeSize(lines[1]) }
        // Only the canonical padded encoding is accepted, so each checkpoint has a single spelling.
        guard let root = MerkleHash(base64: lines[2]), root.base64 == lines[2] else {
            throw .invalidRootHash(lines[2])
        }
        try self.init(origin: lines[0], treeSize: size, rootHash: root, extensions: Array(lines[3...]))
    }

    /// The checkpoint body, each line ending in a newline; this is the text a log signs.
    public var text: String {
        ([origin, String(treeSize), rootHash.base64] + extensions).map { $0 + "\n" }.joined()
    }

    private static func checkLine(_ line: String, number: Int) throws(CheckpointError) {
        guard !line.isEmpty else { throw .emptyLine(number) }
        guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .controlCharacter(number)
        }
    }

    private static func decimal(_ text: String) -> UInt64? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0") || text.utf8.count == 1 else { return nil }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return UInt64(text)
    }
}

extension Checkpoint {
    /// The checkpoint signed by `signers`, serialized as a signed note.
    public func signedNote(by signers: [NoteSigner]) throws(SignedNoteError) -> String {
        try SignedNote(text: text).signed(by: signers).serialized
    }

    /// Verifies a signed checkpoint against `verifiers` (`SignedNoteError`), then parses its body (`CheckpointError`).
    public static func open(signedNote message: String, verifiers: [NoteVerifier]) throws -> Checkpoint {
        let note = try SignedNote.open(message, verifiers: verifiers)
        return try Checkpoint(text: note.text)
    }
}

/// Errors from parsing or building a checkpoint.
public enum CheckpointError: Error, Hashable, Sendable {
    /// The text does not end with a newline.
    case missingFinalNewline
    /// The text has fewer than the three mandatory lines.
    case tooFewLines(Int)
    /// Line `n` (1-based) is empty.
    case emptyLine(Int)
    /// Line `n` (1-based) contains a control character.
    case controlCharacter(Int)
    /// The tree size line is not a canonical decimal number.
    case invalidTreeSize(String)
    /// The root hash line is not the canonical base64 of 32 bytes.
    case invalidRootHash(String)
}

extension CheckpointError: CustomStringConvertible {
    /// A human-readable explanation of the error.
    public var description: String {
        switch self {
        case .missingFinalNewline: "checkpoint does not end with a newline"
        case .tooFewLines(let count): "checkpoint has \(count) lines, want at least 3"
        case .emptyLine(let number): "checkpoint line \(number) is empty"
        case .controlCharacter(let number): "checkpoint line \(number) contains a control character"
        case .invalidTreeSize(let text): "invalid checkpoint tree size \"\(text)\""
        case .invalidRootHash(let text): "invalid checkpoint root hash \"\(text)\""
        }
    }
}
