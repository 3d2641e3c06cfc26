import Foundation

/// A fact checked against a signed checkpoint, step by step, so that a person can follow it:
/// the checkpoint's signature, the fact's leaf hash, each combination with a proof hash, and
/// the root it leads to against the signed root.
public struct InclusionCheck: Sendable {
    public enum Outcome: Hashable, Sendable {
        /// The fact is the leaf at `leafIndex` of the tree the checkpoint signs.
        case verified
        /// The checkpoint does not verify with the key.
        case signatureInvalid(String)
        /// The proof is for another tree size than the checkpoint's.
        case treeSizeMismatch(proof: UInt64, checkpoint: UInt64)
        /// The proof does not have the shape the index and size call for.
        case proofMalformed(String)
        /// The fact and proof lead to another root than the signed one: the fact is not that leaf.
        case rootMismatch(computed: MerkleHash, signed: MerkleHash)
    }

    /// The bytes checked, as given.
    public let fact: Data
    /// Whether `fact` is a published fact in its canonical form (only such bytes are ever leaves).
    public let isCanonicalFact: Bool
    public let leafIndex: UInt64
    public let treeSize: UInt64
    /// `SHA-256(0x00 ‖ fact)`.
    public let leafHash: MerkleHash
    public let steps: [MerkleVerifier.InclusionStep]
    /// The checkpoint, once its signature verified.
    public let checkpoint: Checkpoint?
    public let outcome: Outcome

    public var isVerified: Bool { outcome == .verified }

    /// The root the steps lead to (the leaf hash itself in a tree of one leaf).
    public var computedRoot: MerkleHash { steps.last?.result ?? leafHash }

    /// Checks that `fact` is leaf `leafIndex` of the tree of `treeSize` leaves signed in `signedNote`.
    public init(
        fact: Data, leafIndex: UInt64, treeSize: UInt64, proof: [MerkleHash], signedNote: String,
        verifier: NoteVerifier
    ) {
        self.fact = fact
        self.isCanonicalFact = PublishedFact(canonicalBytes: fact) != nil
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.leafHash = MerkleHash.leafHash(of: fact)
        var steps: [MerkleVerifier.InclusionStep] = []
        var checkpoint: Checkpoint?
        let outcome: Outcome
        do {
            let opened = try Checkpoint.open(signedNote: signedNote, verifiers: [verifier])
            checkpoint = opened
            if opened.treeSize != treeSize {
                outcome = .treeSizeMismatch(proof: treeSize, checkpoint: opened.treeSize)
            } else {
                do {
                    steps = try MerkleVerifier.inclusionSteps(
                        leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof)
                    let computed = steps.last?.result ?? leafHash
                    outcome =
                        computed == opened.rootHash
                        ? .verified : .rootMismatch(computed: computed, signed: opened.rootHash)
                } catch {
                    outcome = .proofMalformed(error.description)
                }
            }
        } catch {
            outcome = .signatureInvalid("\(error)")
        }
        self.steps = steps
        self.checkpoint = checkpoint
        self.outcome = outcome
    }
}
