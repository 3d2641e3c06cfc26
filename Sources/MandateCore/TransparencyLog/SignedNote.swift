import Foundation

/// A C2SP signed note: text ending in a newline, a blank line, then one signature line per signature.
public struct SignedNote: Hashable, Sendable {
    /// The most signature lines a parsed note may carry; the spec requires accepting at least 16.
    public static let maxSignatures = 100

    /// The signed text, including its final newline.
    public let text: String
    /// The signatures, in note order, without exact duplicates.
    public let signatures: [NoteSignature]

    /// A note of `text`, which must end in a newline and contain no control characters but newlines.
    public init(text: String, signatures: [NoteSignature] = []) throws(SignedNoteError) {
        guard text.utf8.last == UInt8(ascii: "\n") else { throw .malformedNote("text must end with a newline") }
        guard !Self.hasControlCharacter(text.utf8) else { throw .malformedNote("control character in text") }
        self.text = text
        self.signatures = signatures
    }

    /// Parses a signed note's bytes, which must be valid UTF-8; signatures are not verified.
    public init(parsing data: Data) throws(SignedNoteError) {
        guard let message = String(validating: data, as: UTF8.self) else { throw .malformedNote("invalid UTF-8") }
        try self.init(parsing: message)
    }

    /// Parses a signed note; signatures are not verified.
    public init(parsing message: String) throws(SignedNoteError) {
        let bytes = Array(message.utf8)
        guard !Self.hasControlCharacter(bytes) else { throw .malformedNote("control character in note") }
        // The text ends at the last blank line; the text itself may contain blank lines.
        var split: Int?
        for index in stride(from: bytes.count - 2, through: 0, by: -1)
        where bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "\n") {
            split = index
            break
        }
        guard let split else { throw .malformedNote("no blank line before the signatures") }
        let block = bytes[(split + 2)...]
        guard block.last == UInt8(ascii: "\n") else { throw .malformedNote("signatures must end with a newline") }
        let lines = block.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= Self.maxSignatures else {
            throw .malformedNote("more than \(Self.maxSignatures) signatures")
        }
        var signatures: [NoteSignature] = []
        for line in lines {
            let signature = try NoteSignature(line: line)
            if !signatures.contains(signature) { signatures.append(signature) }
        }
        try self.init(text: String(decoding: bytes[...split], as: UTF8.self), signatures: signatures)
    }

    /// The note as sent: text, blank line, signature lines.
    public var serialized: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// The note with a new signature from each signer, replacing any older signature by the same key.
    public func signed(by signers: [NoteSigner]) throws(SignedNoteError) -> SignedNote {
        let message = Data(text.utf8)
        var fresh: [NoteSignature] = []
        for signer in signers {
            fresh.append(
                try NoteSignature(name: signer.name, keyID: signer.keyID, signature: signer.signature(for: message)))
        }
        let kept = signatures.filter { old in !fresh.contains { $0.name == old.name && $0.keyID == old.keyID } }
        return try SignedNote(text: text, signatures: kept + fresh)
    }

    /// Verifies and returns the signatures from known keys, ignoring unknown keys; throws if none or a bad one.
    public func verifiedSignatures(using verifiers: [NoteVerifier]) throws(SignedNoteError) -> [NoteSignature] {
        let message = Data(text.utf8)
        var verified: [NoteSignature] = []
        for signature in signatures {
            let matches = verifiers.filter { $0.name == signature.name && $0.keyID == signature.keyID }
            guard let verifier = matches.first else { continue }
            guard matches.count == 1 else { throw .ambiguousKey(name: signature.name, keyID: signature.keyID) }
            // Only the first signature per key counts, as in the reference implementation.
            if verified.contains(where: { $0.name == signature.name && $0.keyID == signature.keyID }) { continue }
            guard verifier.isValidSignature(signature.signature, for: message) else {
                throw .invalidSignature(name: signature.name, keyID: signature.keyID)
            }
            verified.append(signature)
        }
        guard !verified.isEmpty else { throw .unknownKey }
        return verified
    }

    /// Parses `message` and verifies it against `verifiers`, returning the note once a known key has signed it.
    public static func open(_ message: String, verifiers: [NoteVerifier]) throws(SignedNoteError) -> SignedNote {
        let note = try SignedNote(parsing: message)
        _ = try note.verifiedSignatures(using: verifiers)
        return note
    }

    private static func hasControlCharacter(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 && $0 != UInt8(ascii: "\n") }
    }
}

/// Errors from parsing, signing and verifying signed notes and their keys.
public enum SignedNoteError: Error, Hashable, Sendable {
    /// The note does not follow the signed-note syntax.
    case malformedNote(String)
    /// A verifier or signer key string is malformed.
    case malformedKey(String)
    /// A key string's key ID does not match its name and key.
    case keyIDMismatch(expected: UInt32, computed: UInt32)
    /// A key uses a signature type other than Ed25519 (0x01).
    case unsupportedAlgorithm(UInt8)
    /// A key name is empty or contains white space or a plus sign.
    case invalidName(String)
    /// No signature on the note is from a known key.
    case unknownKey
    /// A signature from a known key failed to verify.
    case invalidSignature(name: String, keyID: UInt32)
    /// More than one known verifier has this name and key ID.
    case ambiguousKey(name: String, keyID: UInt32)
    /// The signing operation failed.
    case signingFailed
}

extension SignedNoteError: CustomStringConvertible {
    /// A human-readable explanation of the error.
    public var description: String {
        switch self {
        case .malformedNote(let reason): "malformed note: \(reason)"
        case .malformedKey(let reason): "malformed key: \(reason)"
        case .keyIDMismatch(let expected, let computed):
            "key ID \(NoteName.hex(expected)) does not match the key (\(NoteName.hex(computed)))"
        case .unsupportedAlgorithm(let type): "unsupported signature type \(type)"
        case .invalidName(let name): "invalid key name \"\(name)\""
        case .unknownKey: "note has no signature from a known key"
        case .invalidSignature(let name, let keyID): "invalid signature for key \(name)+\(NoteName.hex(keyID))"
        case .ambiguousKey(let name, let keyID): "ambiguous key \(name)+\(NoteName.hex(keyID))"
        case .signingFailed: "signing failed"
        }
    }
}
