import Foundation
import Testing

@testable import MandateCore

@Suite struct InclusionCheckTests {
    /// A signed log of `size` facts whose values are their index.
    struct SignedLog {
        let facts: [PublishedFact]
        let tree: MerkleTree
        let note: String
        let verifier: NoteVerifier

        init(size: Int, signer: NoteSigner? = nil) throws {
            let signer = try signer ?? NoteSigner.generate(name: "test.mandate.vn/log")
            var facts: [PublishedFact] = []
            var tree = MerkleTree()
            for number in 0..<size {
                let fact = try PublishedFact(
                    kind: .approvedValue, key: "approved-value/T/\(number)",
                    fields: ["indicator": "T", "unit": "01", "period": "2026", "value": "\(number)"])
                facts.append(fact)
                _ = tree.append(leafData: fact.canonicalBytes)
            }
            self.facts = facts
            self.tree = tree
            self.note = try Checkpoint(origin: signer.name, treeSize: tree.size, rootHash: tree.rootHash)
                .signedNote(by: [signer])
            self.verifier = try signer.verifier
        }

        func check(
            _ index: Int, fact: Data? = nil, note: String? = nil, verifier: NoteVerifier? = nil
        ) throws
            -> InclusionCheck
        {
            InclusionCheck(
                fact: fact ?? facts[index].canonicalBytes, leafIndex: UInt64(index), treeSize: tree.size,
                proof: try tree.inclusionProof(leafIndex: UInt64(index), treeSize: tree.size),
                signedNote: note ?? self.note, verifier: verifier ?? self.verifier)
        }
    }

    @Test func everyLeafOfASignedTreeVerifiesStepByStep() throws {
        for size in [1, 2, 7, 37] {
            let log = try SignedLog(size: size)
            for index in 0..<size {
                let check = try log.check(index)
                #expect(check.isVerified, "leaf \(index) of \(size)")
                #expect(check.isCanonicalFact)
                #expect(check.leafHash == log.facts[index].leafHash)
                #expect(check.computedRoot == log.tree.rootHash)
                #expect(check.checkpoint?.treeSize == UInt64(size))
                // Each step joins the running hash with one proof hash, on the side the index calls for.
                var running = check.leafHash
                for step in check.steps {
                    let expected =
                        step.siblingIsLeft
                        ? MerkleHash.nodeHash(step.sibling, running) : .nodeHash(running, step.sibling)
                    #expect(step.result == expected)
                    running = step.result
                }
            }
        }
    }

    @Test func theStepsOfLeafFiveOfSevenGoRightLeftLeft() throws {
        // Leaf 5 of 7: sibling 4 on the left, then the single leaf 6 on the right, then [0, 4) on the left.
        let log = try SignedLog(size: 7)
        let check = try log.check(5)
        #expect(check.steps.map(\.siblingIsLeft) == [true, false, true])
        #expect(check.steps.first?.sibling == log.facts[4].leafHash)
        #expect(check.steps.last?.sibling == (try log.tree.subtreeRoot(start: 0, end: 4)))
    }

    @Test func aChangedValueDoesNotReachTheSignedRoot() throws {
        let log = try SignedLog(size: 10)
        let changed = String(decoding: log.facts[3].canonicalBytes, as: UTF8.self)
            .replacingOccurrences(of: #""value":"3""#, with: #""value":"4""#)
        let check = try log.check(3, fact: Data(changed.utf8))
        #expect(!check.isVerified)
        #expect(check.isCanonicalFact)
        #expect(check.outcome == .rootMismatch(computed: check.computedRoot, signed: log.tree.rootHash))
        // Another leaf's bytes at this index fail too: a proof is for one position.
        #expect(!(try log.check(3, fact: log.facts[4].canonicalBytes)).isVerified)
    }

    @Test func aCheckpointSignedByAnotherKeyIsRefused() throws {
        let log = try SignedLog(size: 4)
        let stranger = try NoteSigner.generate(name: "test.mandate.vn/log").verifier
        let check = try log.check(1, verifier: stranger)
        guard case .signatureInvalid = check.outcome else {
            Issue.record("expected a signature failure, got \(check.outcome)")
            return
        }
        #expect(check.checkpoint == nil && check.steps.isEmpty)
    }

    @Test func aProofForAnotherSizeOrOfTheWrongLengthIsReported() throws {
        let log = try SignedLog(size: 8)
        let smaller = try SignedLog(size: 5)
        let check = InclusionCheck(
            fact: log.facts[2].canonicalBytes, leafIndex: 2, treeSize: 5,
            proof: try log.tree.inclusionProof(leafIndex: 2, treeSize: 5), signedNote: log.note, verifier: log.verifier)
        #expect(check.outcome == .treeSizeMismatch(proof: 5, checkpoint: 8))
        let short = InclusionCheck(
            fact: log.facts[2].canonicalBytes, leafIndex: 2, treeSize: 8,
            proof: Array(try log.tree.inclusionProof(leafIndex: 2, treeSize: 8).dropLast()), signedNote: log.note,
            verifier: log.verifier)
        guard case .proofMalformed = short.outcome else {
            Issue.record("expected a malformed proof, got \(short.outcome)")
            return
        }
        #expect(try smaller.check(4).isVerified)
    }

    @Test func bytesThatAreNotACanonicalFactAreFlagged() throws {
        let log = try SignedLog(size: 3)
        let check = try log.check(0, fact: Data("{ \"value\": 1 }".utf8))
        #expect(!check.isCanonicalFact && !check.isVerified)
    }
}
