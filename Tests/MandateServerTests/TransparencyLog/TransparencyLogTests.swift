import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MandateCore
import MandateStore
import SQLKit
import Testing

@testable import MandateServer

/// The log's HTTP surface, driven with a store the test publishes into and a checkpointer it runs.
@Suite struct TransparencyLogTests {
    struct Harness: Sendable {
        let client: any TestClientProtocol
        let store: Store
        let checkpointer: LogCheckpointer

        func publish(_ count: Int, from start: Int = 0) async throws {
            for number in start..<(start + count) {
                let fact = try PublishedFact(
                    kind: .approvedValue, key: "approved-value/T/\(number)",
                    fields: ["indicator": "T", "unit": "01", "period": "2026", "value": "\(number)"])
                _ = try await store.database.transaction { db in try await store.log.append(fact, in: db) }
            }
        }

        /// Rewrites, behind the log's back, leaf `index`'s bytes in its entry bundle (nil: removes the
        /// entry) and its stored hash in its level-0 tile.
        func tamper(leaf index: Int, bytes: Data?, hash: MerkleHash? = nil) async throws {
            let (bundle, position) = (Int64(index / 256), index % 256)
            try await store.database.transaction { db in
                let stored = try #require(
                    try await db.select().column("data").from("log_bundles").where("idx", .equal, bundle)
                        .first(decodingColumn: "data", as: Data.self))
                var entries = try EntryBundle(data: stored).entries
                if let bytes { entries[position] = bytes } else { entries.remove(at: position) }
                try await db.update("log_bundles").set("data", to: try EntryBundle(entries: entries).data)
                    .where("idx", .equal, bundle).run()
                guard let hash else { return }
                var hashes = try #require(
                    try await db.select().column("hashes").from("log_tiles").where("level", .equal, 0)
                        .where("idx", .equal, bundle).first(decodingColumn: "hashes", as: Data.self))
                hash.withUnsafeBytes { hashes.replaceSubrange((position * 32)..<(position * 32 + 32), with: $0) }
                try await db.update("log_tiles").set("hashes", to: hashes).where("level", .equal, 0)
                    .where("idx", .equal, bundle).run()
            }
        }

        func text(_ uri: String) async throws -> String {
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok, "GET \(uri)")
                return String(buffer: response.body)
            }
        }
    }

    /// Reads the log through the test client, as `mandate verify` does over HTTP.
    struct ClientSource: LogSource {
        let client: any TestClientProtocol
        func fetch(_ path: String) async throws -> Data {
            try await client.execute(uri: path, method: .get) { response in
                guard response.status == .ok else {
                    throw LogAudit.Failure(description: "\(path) answered \(response.status.code)")
                }
                return Data(buffer: response.body)
            }
        }
    }

    static func withLog(demo: Bool = false, _ body: @Sendable (Harness) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        let database = try await DatabaseConnector.open(.sqliteMemory, logger: logger).database
        let store = Store(database: database)
        try await store.prepare(demo: demo, logger: logger)
        let dependencies = Dependencies(
            store: store, pages: try await PageRenderer.load(), metrics: HTTPMetrics(),
            openAPIDocument: try Dependencies.loadOpenAPIDocument(), hasher: PasswordHasher(cost: 10), demo: false,
            secureCookies: false)
        try await dependencies.logIdentity.load(settings: store.settings, origin: "test.mandate.vn/log")
        let checkpointer = LogCheckpointer(
            log: store.log, identity: dependencies.logIdentity, clock: store.clock, logger: logger)
        let app = Application(router: buildRouter(dependencies).router)
        do {
            try await app.test(.router) { client in
                try await body(Harness(client: client, store: store, checkpointer: checkpointer))
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    @Test func checkpointsAreSignedWithThePublishedKey() async throws {
        try await Self.withLog { log in
            try await log.client.execute(uri: "/log/checkpoint", method: .get) {
                #expect($0.status == .serviceUnavailable)
            }
            #expect(try await log.checkpointer.checkpointIfNeeded()?.size == 0)
            #expect(try await log.checkpointer.checkpointIfNeeded() == nil)
            try await log.publish(3)
            #expect(try await log.checkpointer.checkpointIfNeeded()?.size == 3)
            let key = try await log.text("/.well-known/mandate-log-key").trimmingWhitespace()
            #expect(key.hasPrefix("test.mandate.vn/log+"))
            let note = try await log.text("/log/checkpoint")
            let checkpoint = try Checkpoint.open(signedNote: note, verifiers: [try NoteVerifier(encoded: key)])
            #expect(checkpoint.treeSize == 3 && checkpoint.origin == "test.mandate.vn/log")
            let other = try NoteSigner.generate(name: "test.mandate.vn/log").verifier
            #expect(throws: (any Error).self) { try Checkpoint.open(signedNote: note, verifiers: [other]) }
        }
    }

    @Test func theLogsMachinePathsAnswerErrorsAsProblemDetails() async throws {
        try await Self.withLog { log in
            try await log.client.execute(uri: "/log/checkpoint", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect((try? response.problem())?.type == "/problems/no-checkpoint")
            }
            try await log.publish(3)
            try await log.checkpointer.checkpointIfNeeded()
            try await log.client.execute(uri: "/log/tile/0/x/bad", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((try? response.problem())?.detail?.contains("tile/0/x/bad is not a tile path") == true)
            }
            try await log.client.execute(uri: "/log/tile/entries/000.p/4", method: .get) { response in
                #expect(response.status == .notFound)
                #expect((try? response.problem())?.detail?.contains("beyond the latest checkpoint (3 leaves)") == true)
            }
        }
    }

    @Test func tilesAndBundlesRebuildTheSignedRootAndAuditPasses() async throws {
        try await Self.withLog { log in
            try await log.publish(300)
            try await log.checkpointer.checkpointIfNeeded()
            let saved = try await log.text("/log/checkpoint")
            let report = try await LogAudit(source: ClientSource(client: log.client)).run(verifierKey: nil, saved: nil)
            #expect(report.checkpoint.treeSize == 300 && report.facts.count == 300)
            try await log.client.execute(uri: "/log/tile/0/000", method: .get) { response in
                #expect(response.status == .ok && response.body.readableBytes == 256 * 32)
                #expect(response.headers[.cacheControl]?.contains("immutable") == true)
            }
            try await log.client.execute(uri: "/log/tile/entries/001.p/44", method: .get) { #expect($0.status == .ok) }
            try await log.client.execute(uri: "/log/tile/entries/001", method: .get) { #expect($0.status == .notFound) }
            try await log.client.execute(uri: "/log/tile/0/x/bad", method: .get) { #expect($0.status == .notFound) }

            try await log.publish(50, from: 300)
            try await log.checkpointer.checkpointIfNeeded()
            let later = try await LogAudit(source: ClientSource(client: log.client)).run(verifierKey: nil, saved: saved)
            #expect(later.checkpoint.treeSize == 350)
            #expect(later.lines.last == "consistent with the saved checkpoint of 300 leaves")
        }
    }

    struct InclusionBody: Decodable {
        let leafIndex: UInt64
        let treeSize: UInt64
        let leafHash: String
        let proof: [String]
        let rootHash: String
        let fact: String
    }
    struct ConsistencyBody: Decodable {
        let from: UInt64
        let to: UInt64
        let proof: [String]
        let fromRootHash: String?
        let toRootHash: String
    }

    @Test func proofsVerifyAgainstTheSignedRoots() async throws {
        try await Self.withLog { log in
            try await log.publish(20)
            let first = try #require(try await log.checkpointer.checkpointIfNeeded())
            try await log.publish(17, from: 20)
            let second = try #require(try await log.checkpointer.checkpointIfNeeded())
            let inclusion = try await log.client.json(
                InclusionBody.self, "/api/v1/log/proof/inclusion?key=approved-value/T/7")
            #expect(inclusion.leafIndex == 7 && inclusion.treeSize == 37 && inclusion.fact.contains(#""value":"7""#))
            try MerkleVerifier.verifyInclusion(
                leafIndex: 7, treeSize: 37, leafHash: try #require(MerkleHash(base64: inclusion.leafHash)),
                proof: inclusion.proof.compactMap { MerkleHash(base64: $0) }, root: second.root)
            let consistency = try await log.client.json(ConsistencyBody.self, "/api/v1/log/proof/consistency?from=20")
            #expect(consistency.fromRootHash == first.root.base64 && consistency.toRootHash == second.root.base64)
            try MerkleVerifier.verifyConsistency(
                size1: 20, size2: 37, proof: consistency.proof.compactMap { MerkleHash(base64: $0) }, root1: first.root,
                root2: second.root)
            try await log.client.execute(uri: "/api/v1/log/proof/inclusion?key=nope", method: .get) {
                #expect($0.status == .notFound)
            }
            try await log.client.execute(uri: "/api/v1/log/proof/consistency?from=0", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect((try? response.problem())?.errors?.first?.field == "from")
            }
        }
    }

    @Test func aFactRewrittenInTheDatabaseFailsTheAudit() async throws {
        try await Self.withLog { log in
            try await log.publish(10)
            try await log.checkpointer.checkpointIfNeeded()
            // Someone rewrites a published fact's bytes in the database. (Rewriting its stored hash
            // as well would change the tree, which is then never signed: see aRewrittenTreeIsNeverSigned.)
            let forged = try PublishedFact(
                kind: .approvedValue, key: "approved-value/T/3",
                fields: ["indicator": "T", "unit": "01", "period": "2026", "value": "9999"])
            try await log.tamper(leaf: 3, bytes: forged.canonicalBytes)
            let audit = LogAudit(source: ClientSource(client: log.client))
            await #expect(throws: LogAudit.Failure.self) { try await audit.run(verifierKey: nil, saved: nil) }
            // Later checkpoints still sign the genuine tree (its stored hashes), so every later audit
            // keeps reporting the forged leaf.
            try await log.publish(1, from: 10)
            #expect(try await log.checkpointer.checkpointIfNeeded()?.size == 11)
            await #expect(throws: LogAudit.Failure.self) { try await audit.run(verifierKey: nil, saved: nil) }
        }
    }

    @Test func aRewrittenTreeIsNeverSigned() async throws {
        try await Self.withLog { log in
            try await log.publish(10)
            try await log.checkpointer.checkpointIfNeeded()
            // Rewriting the stored hash of leaf 0 (its bytes unchanged) changes the tree the log would sign.
            let stored = try #require(try await log.store.log.leafData(in: 0..<1).first?.data)
            try await log.tamper(leaf: 0, bytes: stored, hash: MerkleHash.leafHash(of: Data("x".utf8)))
            try await log.publish(1, from: 10)
            await #expect(throws: LogCheckpointer.Refusal.self) { try await log.checkpointer.checkpointIfNeeded() }
            #expect(try await log.store.log.latestCheckpoint()?.size == 10)
        }
    }

    @Test func aLeafWhoseBytesDoNotMatchItsHashIsNeverSigned() async throws {
        try await Self.withLog { log in
            try await log.publish(4)
            try await log.checkpointer.checkpointIfNeeded()
            try await log.publish(2, from: 4)
            try await log.tamper(leaf: 5, bytes: Data("{}".utf8))
            await #expect(throws: LogCheckpointer.Refusal.self) { try await log.checkpointer.checkpointIfNeeded() }
        }
    }

    @Test func anAcceptedReportChangedInTheDatabaseFailsVerification() async throws {
        try await Self.withLog(demo: true) { log in
            try await log.checkpointer.checkpointIfNeeded()
            let audit = LogAudit(source: ClientSource(client: log.client))
            _ = try await audit.run(verifierKey: nil, saved: nil)
            let fact = try #require(try await log.store.tasks.acceptedReportFacts(limit: 1, offset: 0).first)
            let id = try #require(fact.key.split(separator: "/").last.map(String.init))
            // Someone raises the percent of an accepted report directly in the database.
            try await log.store.database.transaction { db in
                try await db.update("task_reports").set("percent", to: 99).where("id", .equal, id).run()
            }
            do {
                _ = try await audit.run(verifierKey: nil, saved: nil)
                Issue.record("the altered report was not reported")
            } catch let failure as LogAudit.Failure {
                #expect(failure.description.contains(fact.key))
            }
        }
    }

    @Test func aLogWithADeletedLeafIsNeverSigned() async throws {
        try await Self.withLog { log in
            try await log.publish(4)
            try await log.checkpointer.checkpointIfNeeded()
            try await log.publish(3, from: 4)
            try await log.tamper(leaf: 5, bytes: nil)
            await #expect(throws: LogCheckpointer.Refusal.self) { try await log.checkpointer.checkpointIfNeeded() }
            #expect(try await log.store.log.latestCheckpoint()?.size == 4)
        }
    }

    @Test func approvedValuesArePublishedIntoTheLogAndAValueChangedInTheDatabaseFailsVerification() async throws {
        try await Self.withLog(demo: true) { log in
            // The demo's approved values, accepted reports, ratings and published rankings were
            // each logged as they were published.
            let approved = try await log.store.values.list(ValueQuery(approvedOnly: true, limit: 100_000))
            let accepted = try await log.store.tasks.acceptedReportCount()
            let rankings = try await log.store.rankings.publications().count
            let ratings = try await log.store.feedback.factCount()
            #expect(!approved.isEmpty && accepted > 0 && rankings > 0 && ratings > 0)
            let all = approved.count + accepted + rankings + ratings
            #expect(try await log.store.log.size() == UInt64(all))
            try await log.checkpointer.checkpointIfNeeded()
            let audit = LogAudit(source: ClientSource(client: log.client))
            let report = try await audit.run(verifierKey: nil, saved: nil)
            #expect(report.lines.contains("\(all) facts of the open data are in the log"))

            // Someone changes a published value directly in the database.
            let victim = try #require(approved.first)
            try await log.store.database.transaction { db in
                try await db.update("data_values").set("value", to: victim.value + 1)
                    .where("indicator_code", .equal, victim.indicator).where("unit_code", .equal, victim.unit)
                    .where("period", .equal, victim.period).run()
            }
            do {
                _ = try await audit.run(verifierKey: nil, saved: nil)
                Issue.record("the altered value was not reported")
            } catch let failure as LogAudit.Failure {
                #expect(
                    failure.description.contains("approved-value/\(victim.indicator)/\(victim.unit)/\(victim.period)"))
            }
        }
    }
}
