import Foundation
import Testing

@testable import MandateCore

/// Locates and decodes the Merkle conformance vectors bundled as test resources.
enum MerkleVectors {
    static let root: URL? = Bundle.module.url(forResource: "Vectors", withExtension: nil)?
        .appendingPathComponent("merkle")

    /// The JSON files under `kind` (e.g. "inclusion"), as paths relative to the merkle folder, sorted.
    static func files(_ kind: String) -> [String] {
        guard let root else { return [] }
        let folder = root.appendingPathComponent(kind)
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return []
        }
        var paths: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let relative = url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)
            paths.append(String(relative))
        }
        return paths.sorted()
    }

    static func load<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        let url = try #require(root).appendingPathComponent(path)
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func bytes(_ base64: String) throws -> Data {
        try #require(Data(base64Encoded: base64), "bad base64 \(base64)")
    }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum MerkleFixtures {
    /// The eight RFC 6962 reference leaves used by the vectors' README and the Go tests.
    static let referenceLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        Array(0x60...0x6f),
    ]

    /// The reference roots of sizes 0 through 8.
    static let referenceRoots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static var referenceTree: MerkleTree {
        var tree = MerkleTree()
        for leaf in referenceLeaves { tree.append(leafData: leaf) }
        return tree
    }

    /// Leaf hashes of `count` pseudo-random leaves of varying length.
    static func randomLeafHashes(count: Int, generator: inout SeededGenerator) -> [MerkleHash] {
        (0..<count).map { _ in
            let length = Int.random(in: 0..<48, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return MerkleHash.leafHash(of: bytes)
        }
    }

    /// `hash` with bit `bit` (0..<256) flipped.
    static func flip(_ hash: MerkleHash, bit: Int) -> MerkleHash {
        var bytes = hash.bytes
        bytes[bit / 8] ^= 1 << (bit % 8)
        return MerkleHash(bytes: bytes) ?? hash
    }
}
