import Foundation
import Testing

@testable import MandateCore

/// Signed-note behaviour, including the published vectors of Go's golang.org/x/mod/sumdb/note tests.
@Suite("Signed notes")
struct SignedNoteTests {
    static let peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSecret = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig =
        "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig =
        "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    static func verifier(_ key: String) throws -> NoteVerifier { try NoteVerifier(encoded: key) }

    /// `signature` with "ABCD" spliced in at UTF-8 offset 60, as the Go tests corrupt signatures.
    static func corrupt(_ signature: String) -> String {
        let bytes = Array(signature.utf8)
        return String(decoding: bytes[..<60] + Array("ABCD".utf8) + bytes[60...], as: UTF8.self)
    }

    @Test("the Go verifier and signer keys parse and agree")
    func keysParse() throws {
        let verifier = try Self.verifier(Self.peterKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.encoded == Self.peterKey)
        let signer = try NoteSigner(encoded: Self.peterSecret)
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.encoded == Self.peterSecret)
        #expect(try signer.verifier == verifier)
    }

    @Test("every substring and single-byte mangling of a key is rejected")
    func keyManglings() {
        for (key, parse) in [
            (Self.peterKey, { (key: String) throws -> Void in _ = try NoteVerifier(encoded: key) }),
            (Self.peterSecret, { (key: String) throws -> Void in _ = try NoteSigner(encoded: key) }),
        ] {
            let bytes = Array(key.utf8)
            var accepted: [String] = []
            for start in 0..<bytes.count {
                for end in (start + 1)...bytes.count where start != 0 || end != bytes.count {
                    let mangled = String(decoding: bytes[start..<end], as: UTF8.self)
                    if (try? parse(mangled)) != nil { accepted.append(mangled) }
                }
            }
            for position in bytes.indices {
                var changed = bytes
                changed[position] &+= 1
                let mangled = String(decoding: changed, as: UTF8.self)
                if (try? parse(mangled)) != nil { accepted.append(mangled) }
            }
            #expect(accepted.isEmpty, "accepted mangled keys: \(accepted)")
        }
        // Wrong key length with an adjusted key ID, and an unknown algorithm with an adjusted key ID.
        #expect(throws: SignedNoteError.self) {
            try NoteVerifier(encoded: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: SignedNoteError.unsupportedAlgorithm(0x65)) {
            try NoteVerifier(encoded: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("signing reproduces the Go signature and replaces an old signature by the same key")
    func sign() throws {
        let signer = try NoteSigner(encoded: Self.peterSecret)
        let note = try SignedNote(text: Self.text).signed(by: [signer])
        #if !canImport(Darwin)
            // BoringSSL's Ed25519 is deterministic like Go's; Apple's CryptoKit randomises signatures.
            #expect(note.serialized == Self.text + "\n" + Self.peterSig)
        #endif
        #expect(try note.verifiedSignatures(using: [signer.verifier]).count == 1)
        let stale = try NoteSignature(name: "PeterNeumann", keyID: 0xc74f_20a3, signature: Data([1, 2, 3]))
        let resigned = try SignedNote(text: Self.text, signatures: [stale]).signed(by: [signer])
        #expect(resigned.signatures.count == 1)
        #expect(resigned.signatures.first != stale)
        #expect(throws: SignedNoteError.self) { try SignedNote(text: "abc") }
        #expect(throws: SignedNoteError.invalidName("a+b")) {
            try NoteSignature(name: "a+b", keyID: 0, signature: Data([1]))
        }
        #expect(throws: SignedNoteError.invalidName("bad name")) { try NoteSigner.generate(name: "bad name") }
    }

    @Test("opening the Go note verifies known keys and ignores unknown ones")
    func open() throws {
        let peter = try Self.verifier(Self.peterKey)
        let enoch = try Self.verifier(Self.enochKey)
        let message = Self.text + "\n" + Self.peterSig + Self.enochSig
        let note = try SignedNote.open(message, verifiers: [peter])
        #expect(note.text == Self.text)
        #expect(note.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(try note.verifiedSignatures(using: [peter]).map(\.keyID) == [0xc74f_20a3])
        #expect(try note.verifiedSignatures(using: [peter, enoch]).map(\.keyID) == [0xc74f_20a3, 0xaf0c_fe78])
        #expect(note.serialized == message)
        #expect(throws: SignedNoteError.unknownKey) { try SignedNote.open(message, verifiers: []) }
        #expect(throws: SignedNoteError.ambiguousKey(name: "EnochRoot", keyID: 0xaf0c_fe78)) {
            try SignedNote.open(Self.text + "\n" + Self.enochSig, verifiers: [enoch, peter, enoch])
        }
        _ = try SignedNote.open(Self.text + "\n" + Self.peterSig, verifiers: [enoch, peter, enoch])
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(Self.text + "\n" + Self.corrupt(Self.peterSig), verifiers: [peter])
        }
        let repeated =
            Self.text + "\n" + Self.peterSig + Self.peterSig + Self.enochSig + Self.enochSig
            + Self.corrupt(Self.enochSig)
        let deduplicated = try SignedNote.open(repeated, verifiers: [peter])
        #expect(deduplicated.signatures.map(\.name) == ["PeterNeumann", "EnochRoot", "EnochRoot"])
        #expect(try deduplicated.verifiedSignatures(using: [peter]).count == 1)
        let data = try SignedNote(parsing: Data(message.utf8))
        #expect(data == note)
    }

    @Test("malformed notes are rejected as malformed")
    func malformed() {
        let peterSig = Self.peterSig
        let badMessages = [
            Self.text,
            Self.text + "\n",
            Self.text + "\n" + String(peterSig.dropLast()),
            "\u{01}" + Self.text + "\n" + peterSig,
            Self.text + "\n" + peterSig.replacingOccurrences(of: "PeterNeumann", with: "Bad Name").dropLast(),
            Self.text + "\n" + peterSig + "Unexpected line.\n",
            Self.text + "\n" + String(repeating: peterSig, count: 101),
            Self.text + "\n" + "— PeterNeumann \n",
            Self.text + "\n" + "— PeterNeumann AAAA\n",
            Self.text + "\n" + peterSig.replacingOccurrences(of: "— ", with: "- "),
            Self.text + "\r\n" + peterSig,
        ]
        for message in badMessages {
            #expect(throws: SignedNoteError.self, "\(message)") { try SignedNote(parsing: message) }
            do {
                _ = try SignedNote(parsing: message)
            } catch {
                guard case .malformedNote = error else {
                    Issue.record("expected a malformed note error, got \(error)")
                    continue
                }
            }
        }
        #expect(throws: SignedNoteError.malformedNote("invalid UTF-8")) {
            try SignedNote(parsing: Data([0xff]) + Data((Self.text + "\n" + peterSig).utf8))
        }
    }
}
