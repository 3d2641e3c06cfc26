import ArgumentParser
import Foundation
import Logging
import MandateCore
import MandateServer
import MandateStore

/// Measurements of parts of Mandate that have no endpoint of their own, for `bench/`.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure parts of Mandate for the benchmark harness (prints JSON).", shouldDisplay: false,
        subcommands: [BenchLog.self])
}

/// Appends synthetic facts through the store as the server does (batches, one transaction
/// each), signs their checkpoint with the server's checkpointer, and times inclusion proofs.
struct BenchLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Append N leaves to the transparency log, sign the checkpoint, time inclusion proofs; print JSON.")

    @Option(help: "How many leaves to append.") var leaves = 1_000_000
    @Option(help: "Leaves per transaction.") var batch = 1000
    @Option(help: "How many inclusion proofs to time.") var proofs = 1000
    @OptionGroup var databaseOptions: DatabaseOptions

    func validate() throws {
        guard leaves >= 1 else { throw ValidationError("--leaves must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard proofs >= 0 else { throw ValidationError("--proofs must not be negative") }
    }

    struct Report: Encodable {
        var leaves: Int
        var batch: Int
        var sizeBefore: UInt64
        var sizeAfter: UInt64
        /// Building the facts (their canonical bytes), outside the store.
        var buildSeconds: Double
        /// `SQLTransparencyLog.append` in one transaction per batch, commits included.
        var appendSeconds: Double
        var leavesPerSecond: Double
        /// The checkpointer: re-reads and re-hashes the new leaves, computes the root, signs.
        var checkpointSeconds: Double
        /// The leaves over the append and the checkpoint together: the goal's measure.
        var checkpointedLeavesPerSecond: Double
        var treeSize: UInt64
        var rootHash: String
        var proofs: Int
        /// One proof through the store: the leaf by key, its proof read from the stored hashes, verified.
        var proofMilliseconds: Percentiles
        var sampleKeys: [String]
        var database: String
    }

    struct Percentiles: Encodable {
        var p50: Double
        var p99: Double
        var max: Double
        var mean: Double
    }

    func run() async throws {
        let (leaves, batch, proofs) = (self.leaves, self.batch, self.proofs)
        let database = try databaseOptions.url().description
        let report = try await databaseOptions.withStore { store in
            try await Self.measure(store, leaves: leaves, batch: batch, proofs: proofs, database: database)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    static func measure(_ store: Store, leaves: Int, batch: Int, proofs: Int, database: String) async throws -> Report {
        let clock = ContinuousClock()
        let sizeBefore = try await store.log.size()
        // A run's keys are its own, so runs can follow one another on the same database.
        let run = String(UUID().uuidString.lowercased().prefix(8))
        var build = Duration.zero
        var append = Duration.zero
        var done = 0
        while done < leaves {
            let count = min(batch, leaves - done)
            let built = clock.now
            let facts = try (done..<(done + count)).map { try fact(run: run, number: $0) }
            let started = clock.now
            _ = try await store.database.transaction { db in
                try await SQLTransparencyLog.append(facts, at: store.clock.now(), in: db)
            }
            append += clock.now - started
            build += started - built
            done += count
        }

        var logger = Logger(label: "mandate.bench")
        logger.logLevel = .warning
        let identity = LogIdentityHolder()
        try await identity.load(settings: store.settings, origin: nil)
        let signing = clock.now
        let checkpointer = LogCheckpointer(log: store.log, identity: identity, clock: store.clock, logger: logger)
        guard let checkpoint = try await checkpointer.checkpointIfNeeded() else {
            throw ValidationError("no checkpoint was signed: another process signed this size first")
        }
        let checkpointTime = clock.now - signing

        var generator = SplitMix(seed: 57)
        var samples: [Double] = []
        var keys: [String] = []
        for _ in 0..<proofs {
            let number = Int(generator.next() % UInt64(leaves))
            let key = try fact(run: run, number: number).key
            let started = clock.now
            guard let entry = try await store.log.entry(key: key) else {
                throw ValidationError("leaf \(key) is missing")
            }
            let proof = try await StoredMerkleTree.inclusionProof(
                leafIndex: entry.index, treeSize: checkpoint.size, reader: StoreHashes(log: store.log))
            try MerkleVerifier.verifyInclusion(
                leafIndex: entry.index, treeSize: checkpoint.size, leafHash: entry.leafHash, proof: proof,
                root: checkpoint.root)
            samples.append((clock.now - started).milliseconds)
            if keys.count < 3 { keys.append(key) }
        }
        samples.sort()
        func percentile(_ fraction: Double) -> Double {
            samples.isEmpty ? 0 : samples[min(samples.count - 1, Int(Double(samples.count) * fraction))]
        }
        return Report(
            leaves: leaves, batch: batch, sizeBefore: sizeBefore, sizeAfter: try await store.log.size(),
            buildSeconds: build.seconds, appendSeconds: append.seconds,
            leavesPerSecond: Double(leaves) / append.seconds, checkpointSeconds: checkpointTime.seconds,
            checkpointedLeavesPerSecond: Double(leaves) / (append + checkpointTime).seconds,
            treeSize: checkpoint.size, rootHash: checkpoint.root.base64, proofs: proofs,
            proofMilliseconds: Percentiles(
                p50: percentile(0.5), p99: percentile(0.99), max: samples.last ?? 0,
                mean: samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count)),
            sampleKeys: keys, database: database)
    }

    /// An approved value as the server would publish it, numbered within a run.
    static func fact(run: String, number: Int) throws -> PublishedFact {
        try PublishedFact(
            kind: .approvedValue, key: "approved-value/BENCH/01/2026Q1/\(run)/\(number)",
            fields: [
                "indicator": "BENCH", "unit": "01", "period": "2026Q1", "value": "\(number % 100_000).5",
                "approvedAt": "2026-04-10T08:00:00.000Z", "late": "false", "illustrative": "true",
            ])
    }
}

/// Reads stored hashes through the repository, as the server's routes do.
struct StoreHashes: AsyncMerkleHashReader {
    let log: any TransparencyLogRepository

    func readHashes(at indexes: [UInt64]) async throws -> [MerkleHash] {
        try await log.hashes(at: indexes)
    }
}

/// A small seeded generator, so that every run times proofs of the same leaves.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var milliseconds: Double { seconds * 1000 }
}
