import Foundation
import Logging
import MandateCore
import MandateStore
import ServiceLifecycle

/// Signs a new checkpoint at most once a second while leaves arrive, and never one that is not
/// consistent with the last: before signing, the stored hashes must still give the last
/// checkpoint's root, and the consistency proof between the two must verify.
public struct LogCheckpointer: Service {
    let log: any TransparencyLogRepository
    let identity: LogIdentityHolder
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(1)

    /// A checkpointer of `log`, signing with the identity `identity` hands out.
    public init(log: any TransparencyLogRepository, identity: LogIdentityHolder, clock: AppClock, logger: Logger) {
        self.log = log
        self.identity = identity
        self.clock = clock
        self.logger = logger
    }

    /// Why a checkpoint was not signed.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks once a second until the graceful shutdown; a refusal is logged as critical.
    public func run() async throws {
        // A graceful shutdown cancels the loop, a read under way included (one waiting for an
        // unreachable database must not hold the shutdown up); so does the server's failed start,
        // which cancels the wait for the log identity.
        await cancelWhenGracefulShutdown {
            guard (try? await identity.current()) != nil else { return }
            while !Task.isCancelled {
                do {
                    try await checkpointIfNeeded()
                } catch {
                    if Task.isCancelled { break }
                    logger.critical("transparency log checkpoint refused", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Signs and stores a checkpoint of the whole log if it has grown; returns it.
    @discardableResult
    public func checkpointIfNeeded() async throws -> StoredCheckpoint? {
        let size = try await log.size()
        let latest = try await log.latestCheckpoint()
        if let latest {
            if size < latest.size {
                throw Refusal(description: "the log has \(size) leaves, fewer than the \(latest.size) already signed")
            }
            if size == latest.size { return nil }
        }
        let reader = LogHashes(log: log)
        try await checkNewLeaves(from: latest?.size ?? 0, to: size)
        let root = try await StoredMerkleTree.rootHash(treeSize: size, reader: reader)
        if let latest, latest.size > 0 {
            let oldRoot = try await StoredMerkleTree.rootHash(treeSize: latest.size, reader: reader)
            guard oldRoot == latest.root else {
                throw Refusal(
                    description:
                        "the stored leaves no longer give the root signed at size \(latest.size): the log was altered")
            }
            let proof = try await StoredMerkleTree.consistencyProof(size1: latest.size, size2: size, reader: reader)
            try MerkleVerifier.verifyConsistency(
                size1: latest.size, size2: size, proof: proof, root1: latest.root, root2: root)
        }
        let identity = try await identity.current()
        let note = try Checkpoint(origin: identity.origin, treeSize: size, rootHash: root)
            .signedNote(by: [identity.signer])
        let checkpoint = StoredCheckpoint(size: size, root: root, note: note, signedAt: clock.now())
        // Another instance may have signed the same size first; its checkpoint stands.
        return try await log.saveCheckpoint(checkpoint) ? checkpoint : nil
    }

    /// Every leaf about to be signed for the first time must hash to what the tree stores for it.
    private func checkNewLeaves(from start: UInt64, to end: UInt64) async throws {
        var next = start
        while next < end {
            let range = next..<min(end, next + 8192)
            let batch = try await log.leafData(in: range)
            let stored = try await log.leafHashes(in: range)
            guard stored.count >= batch.count else {
                throw Refusal(
                    description:
                        "the stored hash of leaf \(next + UInt64(stored.count)) is missing: the log was altered")
            }
            for (offset, (leaf, hash)) in zip(batch, stored).enumerated() {
                guard leaf.index == next + UInt64(offset) else {
                    throw Refusal(description: "leaf \(next + UInt64(offset)) is missing: the log was altered")
                }
                guard MerkleHash.leafHash(of: leaf.data) == hash else {
                    throw Refusal(
                        description: "leaf \(leaf.index) does not hash to its stored hash: the log was altered")
                }
            }
            guard let last = batch.last else {
                throw Refusal(description: "leaves \(next) to \(end - 1) are missing: the log was altered")
            }
            next = last.index + 1
        }
    }
}
