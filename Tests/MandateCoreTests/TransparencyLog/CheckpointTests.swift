import Foundation
import Testing

@testable import MandateCore

@Suite("Checkpoints")
struct CheckpointTests {
    static let example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

    @Test("the tlog-checkpoint example round-trips")
    func example() throws {
        let checkpoint = try Checkpoint(text: Self.example)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.treeSize == 20_852_163)
        #expect(checkpoint.rootHash.base64 == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.text == Self.example)
    }

    @Test("extension lines and the empty tree round-trip")
    func extensionsRoundTrip() throws {
        let checkpoint = try Checkpoint(
            origin: "log.example/a", treeSize: 0, rootHash: .emptyTreeRoot, extensions: ["ext one", "— two"])
        #expect(checkpoint.text == "log.example/a\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n— two\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let large = try Checkpoint(origin: "o", treeSize: .max, rootHash: .zero)
        #expect(try Checkpoint(text: large.text).treeSize == .max)
    }

    @Test(
        "malformed bodies are rejected",
        arguments: [
            ("example.com\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", CheckpointError.missingFinalNewline),
            ("example.com\n5\n", .tooFewLines(2)),
            ("\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .emptyLine(1)),
            ("o\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .invalidTreeSize("05")),
            ("o\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .invalidTreeSize("+5")),
            ("o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .invalidTreeSize("-1")),
            ("o\n 5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .invalidTreeSize(" 5")),
            (
                "o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
                .invalidTreeSize("18446744073709551616")
            ),
            (
                "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
                .invalidRootHash("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=")
            ),
            (
                "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
                .invalidRootHash("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I")
            ),
            (
                "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",
                .invalidRootHash("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx")
            ),
            ("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", .emptyLine(4)),
            ("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\nmore\n", .emptyLine(5)),
            ("o\r\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .controlCharacter(1)),
            ("o\n5\tx\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .controlCharacter(2)),
        ])
    func rejected(text: String, error: CheckpointError) {
        #expect(throws: error) { try Checkpoint(text: text) }
    }

    @Test("building rejects lines that would not parse back")
    func invalidFields() {
        #expect(throws: CheckpointError.emptyLine(1)) { try Checkpoint(origin: "", treeSize: 1, rootHash: .zero) }
        #expect(throws: CheckpointError.controlCharacter(1)) {
            try Checkpoint(origin: "a\nb", treeSize: 1, rootHash: .zero)
        }
        #expect(throws: CheckpointError.emptyLine(5)) {
            try Checkpoint(origin: "a", treeSize: 1, rootHash: .zero, extensions: ["x", ""])
        }
    }

    @Test("a checkpoint signs and opens as a signed note")
    func signedCheckpoint() throws {
        let signer = try NoteSigner.generate(name: "log.example/a")
        let tree = MerkleFixtures.referenceTree
        let checkpoint = try Checkpoint(origin: "log.example/a", treeSize: tree.size, rootHash: tree.rootHash)
        let note = try checkpoint.signedNote(by: [signer])
        #expect(note.hasPrefix(checkpoint.text + "\n— log.example/a "))
        #expect(try Checkpoint.open(signedNote: note, verifiers: [signer.verifier]) == checkpoint)
        let stranger = try NoteSigner.generate(name: "log.example/a")
        #expect(throws: SignedNoteError.unknownKey) {
            try Checkpoint.open(signedNote: note, verifiers: [stranger.verifier])
        }
        let tampered = note.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(throws: SignedNoteError.invalidSignature(name: signer.name, keyID: signer.keyID)) {
            try Checkpoint.open(signedNote: tampered, verifiers: [signer.verifier])
        }
    }
}
