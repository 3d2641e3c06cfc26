import Crypto
import Foundation
import MandateCore
import Synchronization

/// Random secrets and their one-way hashes: session cookies and API tokens are stored only hashed.
enum Secrets {
    /// 32 random bytes, base64url without padding (43 characters).
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of the secret, hex.
    static func hash(_ secret: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(secret.utf8)))
    }

    /// HMAC-SHA-256 of `text` under `key`, hex.
    static func keyedHash(_ text: String, key: String) -> String {
        Hex.lowercase(
            HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(key.utf8))))
    }
}

/// bcrypt hashing, run off the event loops: a hash takes a quarter of a second at cost 12.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// This hasher's place in the line for the hashing threads (`HashingQueue`).
    let queue = HashingQueue()

    public init(cost: UInt8) {
        self.cost = max(cost, 10)
    }
}

/// A value read once (from the database) and kept: the first caller reads it, later ones reuse it.
final class ReadOnce<Value: Sendable>: Sendable {
    private let kept = Mutex<Value?>(nil)

    func value(_ read: () async throws -> Value) async throws -> Value {
        if let value = kept.withLock({ $0 }) { return value }
        let value = try await read()
        kept.withLock { $0 = $0 ?? value }
        return kept.withLock { $0 ?? value }
    }
}
