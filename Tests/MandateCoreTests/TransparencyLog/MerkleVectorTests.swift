import Foundation
import Testing

@testable import MandateCore

/// Runs every transparency-dev/merkle conformance vector through the raw-bytes verification API.
@Suite("Merkle conformance vectors")
struct MerkleVectorTests {
    struct InclusionCase: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let wantErr: Bool
    }

    struct ConsistencyCase: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let wantErr: Bool
    }

    struct SubtreeInclusionCase: Decodable {
        let leafIdx: UInt64
        let start: UInt64
        let end: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let wantErr: Bool
    }

    struct SubtreeConsistencyCase: Decodable {
        let start: UInt64
        let end: UInt64
        let size: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let wantErr: Bool
    }

    @Test("the vector suite is complete")
    func suiteIsPresent() {
        #expect(MerkleVectors.files("inclusion").count == 98)
        #expect(MerkleVectors.files("consistency").count == 98)
        #expect(MerkleVectors.files("subtreeinclusion").count == 204)
        #expect(MerkleVectors.files("subtreeconsistency").count == 118)
    }

    @Test("inclusion", arguments: MerkleVectors.files("inclusion"))
    func inclusion(path: String) throws {
        let test = try MerkleVectors.load(InclusionCase.self, path)
        let outcome = Result { () throws(MerkleError) in
            try MerkleVerifier.verifyInclusion(
                leafIndex: test.leafIdx, treeSize: test.treeSize, leafHash: try bytes(test.leafHash),
                proof: try proof(test.proof), root: try bytes(test.root))
        }
        try expectOutcome(outcome, wantErr: test.wantErr, path: path)
    }

    @Test("consistency", arguments: MerkleVectors.files("consistency"))
    func consistency(path: String) throws {
        let test = try MerkleVectors.load(ConsistencyCase.self, path)
        let outcome = Result { () throws(MerkleError) in
            try MerkleVerifier.verifyConsistency(
                size1: test.size1, size2: test.size2, proof: try proof(test.proof), root1: try bytes(test.root1),
                root2: try bytes(test.root2))
        }
        try expectOutcome(outcome, wantErr: test.wantErr, path: path)
    }

    @Test("subtree inclusion", arguments: MerkleVectors.files("subtreeinclusion"))
    func subtreeInclusion(path: String) throws {
        let test = try MerkleVectors.load(SubtreeInclusionCase.self, path)
        let outcome = Result { () throws(MerkleError) in
            try MerkleVerifier.verifySubtreeInclusion(
                leafIndex: test.leafIdx, start: test.start, end: test.end, leafHash: try bytes(test.leafHash),
                proof: try proof(test.proof), subtreeRoot: try bytes(test.root))
        }
        try expectOutcome(outcome, wantErr: test.wantErr, path: path)
    }

    @Test("subtree consistency", arguments: MerkleVectors.files("subtreeconsistency"))
    func subtreeConsistency(path: String) throws {
        let test = try MerkleVectors.load(SubtreeConsistencyCase.self, path)
        let outcome = Result { () throws(MerkleError) in
            try MerkleVerifier.verifySubtreeConsistency(
                start: test.start, end: test.end, treeSize: test.size, proof: try proof(test.proof),
                subtreeRoot: try bytes(test.root1), root: try bytes(test.root2))
        }
        try expectOutcome(outcome, wantErr: test.wantErr, path: path)
    }

    private func expectOutcome(_ outcome: Result<Void, MerkleError>, wantErr: Bool, path: String) throws {
        switch outcome {
        case .success: #expect(!wantErr, "\(path) verified but should have been rejected")
        case .failure(let error): #expect(wantErr, "\(path) was rejected: \(error)")
        }
    }
}

// Base64 in the vectors is always well-formed; a decoding failure is reported as a malformed hash.
private func bytes(_ base64: String) throws(MerkleError) -> Data {
    guard let data = Data(base64Encoded: base64) else { throw .malformedHash(byteCount: -1) }
    return data
}

private func proof(_ list: [String]?) throws(MerkleError) -> [Data] {
    var result: [Data] = []
    for item in list ?? [] { result.append(try bytes(item)) }
    return result
}
