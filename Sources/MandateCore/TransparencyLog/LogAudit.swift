import Foundation

/// Where an auditor reads a log from: the public paths of a Mandate server.
public protocol LogSource: Sendable {
    /// The body at `path` (e.g. `/log/checkpoint`); throws for anything but 200.
    func fetch(_ path: String) async throws -> Data
}

/// Checks a log from its public endpoints alone: the checkpoint's signature, that the tiles and
/// entry bundles rebuild its root, that every leaf is a well-formed fact, and that it is
/// consistent with an earlier checkpoint the auditor kept.
public struct LogAudit: Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public struct Report: Sendable {
        public let checkpoint: Checkpoint
        /// The signed note as served, for the auditor to keep.
        public let signedNote: String
        public let facts: [PublishedFact]
        public var lines: [String] = []
    }

    let source: any LogSource

    public init(source: any LogSource) {
        self.source = source
    }

    public static let verifierKeyPath = "/.well-known/mandate-log-key"

    /// Runs every check; throws the first failure with a message saying what does not match.
    /// `verifierKey` pins the key (otherwise the server's published key is used, which proves
    /// less); `saved` is an earlier signed checkpoint the current one must be consistent with.
    public func run(verifierKey: String?, saved: String?) async throws -> Report {
        var keyText = verifierKey ?? ""
        if verifierKey == nil {
            keyText = String(decoding: try await source.fetch(Self.verifierKeyPath), as: UTF8.self)
        }
        let verifier: NoteVerifier
        do {
            verifier = try NoteVerifier(encoded: keyText.trimmingWhitespace())
        } catch {
            throw Failure(description: "the verifier key is malformed: \(error)")
        }
        let note = String(decoding: try await source.fetch("/log/checkpoint"), as: UTF8.self)
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.open(signedNote: note, verifiers: [verifier])
        } catch {
            throw Failure(description: "the checkpoint's signature does not verify with \(verifier.encoded): \(error)")
        }
        var lines = ["checkpoint signature verifies: \(checkpoint.origin), \(checkpoint.treeSize) leaves"]

        let (tree, facts) = try await rebuild(size: checkpoint.treeSize)
        guard tree.rootHash == checkpoint.rootHash else {
            throw Failure(
                description:
                    "the entry bundles rebuild root \(tree.rootHash.base64), not the signed \(checkpoint.rootHash.base64)"
            )
        }
        lines.append("entry bundles rebuild the signed root \(checkpoint.rootHash.base64)")
        let tiles = try Tile.tiles(treeSize: checkpoint.treeSize)
        for tile in tiles {
            let served = try await source.fetch("/log/" + tile.path)
            guard served == (try tile.data(reader: tree)) else {
                throw Failure(description: "hash tile \(tile.path) does not match the leaves")
            }
        }
        lines.append("\(tiles.count) hash tiles match the leaves")
        lines.append("\(facts.count) leaves are well-formed facts")
        let published = try await publishedFacts()
        let logged = Set(facts.map(\.leafHash))
        for fact in published where !logged.contains(fact.leafHash) {
            throw Failure(
                description:
                    "the published fact \(fact.key) is not in the log as published now: it was changed or never logged")
        }
        lines.append("\(published.count) facts of the open data are in the log")

        if let saved {
            let old: Checkpoint
            do {
                old = try Checkpoint.open(signedNote: saved, verifiers: [verifier])
            } catch {
                throw Failure(description: "the saved checkpoint does not verify with this key: \(error)")
            }
            guard old.origin == checkpoint.origin else {
                throw Failure(description: "the saved checkpoint is of log \(old.origin), not \(checkpoint.origin)")
            }
            guard old.treeSize <= checkpoint.treeSize else {
                throw Failure(description: "the log shrank: saved \(old.treeSize) leaves, now \(checkpoint.treeSize)")
            }
            // The rebuilt tree holds every leaf, so the proof is computed here and checked
            // against both signed roots.
            if old.treeSize > 0 {
                do {
                    let proof = try tree.consistencyProof(size1: old.treeSize, size2: checkpoint.treeSize)
                    try MerkleVerifier.verifyConsistency(
                        size1: old.treeSize, size2: checkpoint.treeSize, proof: proof, root1: old.rootHash,
                        root2: checkpoint.rootHash)
                } catch {
                    throw Failure(
                        description:
                            "the current checkpoint is not consistent with the saved one (\(old.treeSize) leaves): \(error)"
                    )
                }
            }
            lines.append("consistent with the saved checkpoint of \(old.treeSize) leaves")
        }
        return Report(checkpoint: checkpoint, signedNote: note, facts: facts, lines: lines)
    }

    /// The facts the server publishes now, page by page.
    func publishedFacts() async throws -> [PublishedFact] {
        struct Page: Decodable {
            let items: [String]
        }
        var facts: [PublishedFact] = []
        var offset = 0
        while true {
            let data = try await source.fetch("/api/v1/log/facts?limit=10000&offset=\(offset)")
            guard let page = try? JSONDecoder().decode(Page.self, from: data) else {
                throw Failure(description: "/api/v1/log/facts is not a list of facts")
            }
            for item in page.items {
                guard let fact = PublishedFact(canonicalBytes: Data(item.utf8)) else {
                    throw Failure(description: "the open data lists a malformed fact: \(item.prefix(200))")
                }
                facts.append(fact)
            }
            if page.items.count < 10000 { return facts }
            offset += page.items.count
        }
    }

    /// Reads every entry bundle of a tree of `size` leaves.
    func rebuild(size: UInt64) async throws -> (MerkleTree, [PublishedFact]) {
        var tree = MerkleTree()
        var facts: [PublishedFact] = []
        var start: UInt64 = 0
        while start < size {
            let width = Int(min(UInt64(Tile.fullWidth), size - start))
            let tile = try Tile(level: 0, index: start / UInt64(Tile.fullWidth), width: width)
            let bundle: EntryBundle
            do {
                bundle = try EntryBundle(data: try await source.fetch("/log/" + tile.entryBundlePath))
            } catch let error as Failure {
                throw error
            } catch {
                throw Failure(description: "entry bundle \(tile.entryBundlePath) is unreadable: \(error)")
            }
            guard bundle.entries.count == width else {
                throw Failure(
                    description:
                        "entry bundle \(tile.entryBundlePath) has \(bundle.entries.count) entries, not \(width)")
            }
            for (offset, entry) in bundle.entries.enumerated() {
                guard let fact = PublishedFact(canonicalBytes: entry) else {
                    throw Failure(description: "leaf \(start + UInt64(offset)) is not a well-formed fact")
                }
                facts.append(fact)
                tree.append(leafData: entry)
            }
            start += UInt64(width)
        }
        return (tree, facts)
    }
}
