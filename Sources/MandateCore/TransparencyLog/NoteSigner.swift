import Crypto
import Foundation

/// A signed-note Ed25519 signer key: `PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || 32-byte seed)>`.
public struct NoteSigner: Sendable {
    /// The key name that appears in signature lines.
    public let name: String
    /// The key ID shared with the matching verifier.
    public let keyID: UInt32
    // The raw key is kept as bytes: the Crypto key types are not Sendable.
    private let seed: Data

    /// A signer from a 32-byte Ed25519 private key seed under `name`.
    public init(name: String, seed: Data) throws(SignedNoteError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .malformedKey("Ed25519 seed must be 32 bytes")
        }
        let verifier = try NoteVerifier(name: name, publicKey: key.publicKey.rawRepresentation)
        self.name = name
        self.keyID = verifier.keyID
        self.seed = seed
    }

    /// A signer with a freshly generated key.
    public static func generate(name: String) throws(SignedNoteError) -> NoteSigner {
        try NoteSigner(name: name, seed: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// Parses an encoded signer key, checking its key ID against the derived public key.
    public init(encoded: String) throws(SignedNoteError) {
        let parts = NoteName.chop(encoded, count: 5)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let keyID = NoteName.hexKeyID(parts[3]),
            let key = Data(base64Encoded: parts[4]), let type = key.first
        else { throw .malformedKey("expected PRIVATE+KEY+<name>+<hex key ID>+<base64 key>") }
        guard type == NoteVerifier.ed25519Type else { throw .unsupportedAlgorithm(type) }
        try self.init(name: parts[2], seed: key.dropFirst())
        guard self.keyID == keyID else { throw .keyIDMismatch(expected: keyID, computed: self.keyID) }
    }

    /// The encoded signer key string; it holds the private key.
    public var encoded: String {
        "PRIVATE+KEY+\(name)+\(NoteName.hex(keyID))+\(Data([NoteVerifier.ed25519Type] + seed).base64EncodedString())"
    }

    /// The matching verifier.
    public var verifier: NoteVerifier {
        get throws(SignedNoteError) {
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
                throw .malformedKey("Ed25519 seed must be 32 bytes")
            }
            return try NoteVerifier(name: name, publicKey: key.publicKey.rawRepresentation)
        }
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func signature(for message: Data) throws(SignedNoteError) -> Data {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message)
        } catch {
            throw .signingFailed
        }
    }
}
