import Crypto
import Foundation

/// A signed-note Ed25519 verifier key: `<name>+<8 hex key ID>+<base64(0x01 || 32-byte public key)>`.
public struct NoteVerifier: Hashable, Sendable {
    /// The signature type byte of Ed25519 note signatures.
    public static let ed25519Type: UInt8 = 0x01

    /// The key name that appears in signature lines.
    public let name: String
    /// The first four bytes of SHA-256(name || "\n" || 0x01 || public key), big-endian.
    public let keyID: UInt32
    /// The 32-byte Ed25519 public key.
    public let publicKey: Data

    /// A verifier for an Ed25519 public key of 32 bytes under `name`.
    public init(name: String, publicKey: Data) throws(SignedNoteError) {
        guard NoteName.isValid(name) else { throw .invalidName(name) }
        guard publicKey.count == 32 else { throw .malformedKey("Ed25519 public key must be 32 bytes") }
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, typedKey: [Self.ed25519Type] + publicKey)
    }

    /// Parses an encoded verifier key, checking its key ID against the name and key.
    public init(encoded: String) throws(SignedNoteError) {
        let parts = NoteName.chop(encoded, count: 3)
        guard parts.count == 3, let keyID = NoteName.hexKeyID(parts[1]), let key = Data(base64Encoded: parts[2]),
            let type = key.first
        else { throw .malformedKey("expected <name>+<hex key ID>+<base64 key>") }
        guard type == Self.ed25519Type else { throw .unsupportedAlgorithm(type) }
        try self.init(name: parts[0], publicKey: key.dropFirst())
        guard self.keyID == keyID else { throw .keyIDMismatch(expected: keyID, computed: self.keyID) }
    }

    /// The encoded verifier key string.
    public var encoded: String {
        "\(name)+\(NoteName.hex(keyID))+\(Data([Self.ed25519Type] + publicKey).base64EncodedString())"
    }

    /// Whether `signature` (64 bytes, without the key ID) is a valid Ed25519 signature of `message`.
    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// SHA-256(name || "\n" || typed key)[0..<4] read big-endian, the signed-note key ID.
    public static func keyID(name: String, typedKey: Data) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8))
        hasher.update(data: Data([0x0a]))
        hasher.update(data: typedKey)
        return hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
