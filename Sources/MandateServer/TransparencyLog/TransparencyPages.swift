import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// The public transparency page: how to verify the log, the current signed checkpoint and its
/// key, the latest published facts, and the check of one fact against the signed root, step by
/// step, done here in Swift (and, by `transparency.js`, again in the visitor's browser).
struct TransparencyPages {
    let log: any TransparencyLogRepository
    let identity: LogIdentityHolder
    let units: any UnitRepository
    let indicators: any IndicatorRepository
    let pages: PageRenderer

    static let recentCount = 20
    static let maximumKeyLength = 512

    func register(on router: Router<AppRequestContext>) {
        router.get("/transparency", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        // Read from the raw query: a form encodes a space as "+" and a plus as "%2B", and facts may hold either.
        let query = FormFields(body: ByteBuffer(string: request.uri.query ?? ""))
        let identity = try await identity.current()
        let checkpoint = try await log.latestCheckpoint()
        var model = TransparencyModel(
            verifierKey: identity.verifierKey, siteURL: Self.siteURL(request),
            recent: try await recent(within: checkpoint?.size ?? 0, page),
            checkpoint: checkpoint.map {
                .init(
                    origin: identity.origin, size: page.number(Int($0.size)), root: $0.root.base64,
                    rootHex: $0.root.hex, signedAt: $0.signedAt, note: $0.note)
            })
        var status = HTTPResponse.Status.ok
        var key = (query["key"] ?? "").trimmingWhitespace()
        let fact = (query["fact"] ?? "").trimmingWhitespace()
        // A feedback receipt names its rating's fact (`Feedback.ratingFactKey`); the page shows
        // the key, never the receipt.
        let receipt = (query["receipt"] ?? "").trimmingWhitespace()
        let byReceipt = key.isEmpty && fact.isEmpty && !receipt.isEmpty
        if byReceipt { key = FeedbackReceipt.normalised(receipt).map { Feedback.ratingFactKey(receipt: $0) } ?? "" }
        if byReceipt && key.isEmpty {
            model.error = CheckProblem.unknownReceipt(String(receipt.prefix(20))).message(page)
            status = CheckProblem.unknownReceipt("").status
        } else if !key.isEmpty || !fact.isEmpty {
            model.key = key
            model.fact = fact
            do {
                let (check, logged): (InclusionCheck, LogEntry)
                do {
                    (check, logged) = try await self.check(key: key, fact: fact, checkpoint: checkpoint, identity)
                } catch CheckProblem.unknownKey where byReceipt {
                    throw CheckProblem.unknownReceipt(String(receipt.prefix(20)))
                }
                model.fact = String(decoding: check.fact, as: UTF8.self)
                model.result = InclusionCheckView(check: check, logged: logged, page: page).model
            } catch let problem as CheckProblem {
                model.error = problem.message(page)
                status = problem.status
            }
        }
        return try page.page(
            .transparency, title: page.t("log_title"), model: model, scripts: [.transparency], status: status
        ).depending(on: [.log, .checkpoint])
    }

    /// Checks the fact with `key` (as logged, or as the visitor gives it in `fact`) against the
    /// latest checkpoint; returns the check and the leaf as logged.
    func check(
        key requested: String, fact: String, checkpoint: StoredCheckpoint?, _ identity: LogIdentity
    ) async throws -> (InclusionCheck, LogEntry) {
        guard fact.utf8.count < PublishedFact.maximumSize else { throw CheckProblem.factTooLong }
        var key = requested
        if key.isEmpty {
            guard let given = PublishedFact(canonicalBytes: Data(fact.utf8)) else { throw CheckProblem.keyMissing }
            key = given.key
        }
        guard key.count <= Self.maximumKeyLength else { throw CheckProblem.keyTooLong }
        guard let entry = try await log.entry(key: key) else { throw CheckProblem.unknownKey(key) }
        guard let checkpoint else { throw CheckProblem.noCheckpoint }
        guard entry.index < checkpoint.size else { throw CheckProblem.notYetSigned(entry.index) }
        let proof = try await StoredMerkleTree.inclusionProof(
            leafIndex: entry.index, treeSize: checkpoint.size, reader: LogHashes(log: log))
        let check = InclusionCheck(
            fact: fact.isEmpty ? entry.data : Data(fact.utf8), leafIndex: entry.index, treeSize: checkpoint.size,
            proof: proof, signedNote: checkpoint.note, verifier: try identity.signer.verifier)
        return (check, entry)
    }

    /// The newest facts of the signed tree, newest first, with unit and indicator names.
    func recent(within size: UInt64, _ page: PageRequest) async throws -> [TransparencyModel.Fact] {
        guard size > 0 else { return [] }
        let entries = try await log.entries(in: (size - min(size, UInt64(Self.recentCount)))..<size).reversed()
        let names = Dictionary(
            try await indicators.list().map { ($0.code, page.language == .vi ? $0.nameVi : $0.nameEn) },
            uniquingKeysWith: { first, _ in first })
        let facts = entries.map { ($0, PublishedFact(canonicalBytes: $0.data)) }
        let unitNames = try await units.names(of: Set(facts.compactMap { $0.1?.fields["unit"] }))
        return facts.map { entry, fact in
            let indicator = fact?.fields["indicator"]
            let unit = fact?.fields["unit"]
            return TransparencyModel.Fact(
                index: entry.index, key: entry.key, href: "/transparency?key=\(entry.key.formEncoded)#check",
                kind: fact.map { page.t("log_kind_\($0.kind.rawValue)") }, indicator: indicator,
                indicatorName: indicator.map { names[$0] ?? $0 }, unit: unit,
                unitName: unit.map { unitNames[$0] ?? $0 },
                period: fact?.fields["period"], value: fact?.fields["value"], approvedAt: fact?.fields["approvedAt"],
                illustrative: fact?.fields["illustrative"] == "true")
        }
    }

    /// This site's address for the `mandate verify` example; a placeholder if the Host header is odd.
    static func siteURL(_ request: Request) -> String {
        let host = request.head.authority ?? ""
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard !host.isEmpty, host.count <= 255, host.unicodeScalars.allSatisfy(allowed.contains) else {
            return "https://mandate.example.vn"
        }
        return (request.isSecure ? "https://" : "http://") + host
    }
}

/// Why a fact could not be checked; each names the field at fault and becomes a message on the page.
enum CheckProblem: Error {
    case keyMissing
    case keyTooLong
    case factTooLong
    case unknownKey(String)
    case unknownReceipt(String)
    case noCheckpoint
    case notYetSigned(UInt64)

    var status: HTTPResponse.Status {
        switch self {
        case .keyMissing, .keyTooLong, .factTooLong: .badRequest
        case .unknownKey, .unknownReceipt: .notFound
        case .noCheckpoint: .serviceUnavailable
        case .notYetSigned: .conflict
        }
    }

    func message(_ page: PageRequest) -> String {
        switch self {
        case .keyMissing: page.t("log_error_keyMissing")
        case .keyTooLong: page.t("log_error_keyTooLong", ["max": "\(TransparencyPages.maximumKeyLength)"])
        case .factTooLong: page.t("log_error_factTooLong")
        case .unknownKey(let key): page.t("log_error_unknownKey", ["key": key])
        case .unknownReceipt(let receipt): page.t("log_error_unknownReceipt", ["receipt": receipt])
        case .noCheckpoint: page.t("log_error_noCheckpoint")
        case .notYetSigned(let index): page.t("log_error_notYetSigned", ["index": "\(index)"])
        }
    }
}
