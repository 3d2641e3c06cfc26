import Foundation
import MandateCore
import MandateStore

/// The log's origin line and its Ed25519 signing key, generated at first start and kept in the
/// database so that every instance signs with the same key.
public struct LogIdentity: Sendable {
    public let origin: String
    public let signer: NoteSigner

    /// The key anyone verifies checkpoints with: `<name>+<key id>+<base64 key>`.
    public let verifierKey: String

    static let originKey = "log.origin"
    static let signerKey = "log.signer"

    /// Reads the identity, creating it on first use. `origin` names the log on first use only.
    public static func loadOrCreate(
        settings: any SettingsRepository, origin requested: String?
    ) async throws
        -> LogIdentity
    {
        let suffix = String(UUID().uuidString.lowercased().prefix(8))
        let origin = try await settings.value(
            originKey, insertingIfAbsent: requested ?? "mandate.local/log-\(suffix)", changes: .everything)
        let fresh = try NoteSigner.generate(name: origin)
        let encoded = try await settings.value(signerKey, insertingIfAbsent: fresh.encoded, changes: .everything)
        let signer = try NoteSigner(encoded: encoded)
        return LogIdentity(origin: origin, signer: signer, verifierKey: try signer.verifier.encoded)
    }
}

/// Reads the log's stored hashes for the tree algorithms.
struct LogHashes: AsyncMerkleHashReader {
    let log: any TransparencyLogRepository

    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        try await log.hashes(at: indexes)
    }
}
