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
        let language = context.language
        // Read from the raw query: a form encodes a space as "+" and a plus as "%2B", and facts may hold either.
        let query = FormFields(body: ByteBuffer(string: request.uri.query ?? ""))
        let identity = try await identity.current()
        let checkpoint = try await log.latestCheckpoint()
        var data: [String: Any] = [
            "verifierKey": identity.verifierKey, "siteURL": Self.siteURL(request),
            "recent": try await recent(within: checkpoint?.size ?? 0, language),
        ]
        if let checkpoint {
            data["checkpoint"] = [
                "origin": identity.origin, "size": checkpoint.size.formatted(language),
                "root": checkpoint.root.base64, "rootHex": checkpoint.root.hex, "signedAt": checkpoint.signedAt,
                "note": checkpoint.note,
            ]
        }
        var status = HTTPResponse.Status.ok
        let key = (query["key"] ?? "").trimmingWhitespace()
        let fact = (query["fact"] ?? "").trimmingWhitespace()
        if !key.isEmpty || !fact.isEmpty {
            data["key"] = key
            data["fact"] = fact
            do {
                let (check, logged) = try await self.check(key: key, fact: fact, checkpoint: checkpoint, identity)
                data["fact"] = String(decoding: check.fact, as: UTF8.self)
                data["result"] =
                    InclusionCheckView(check: check, logged: logged, language: language, pages: pages).template
            } catch let problem as CheckProblem {
                data["error"] = problem.message(pages, language)
                status = problem.status
            }
        }
        var frame = PageRenderer.Frame(
            request: request, language: language, identity: context.identity, title: pages.text("log_title", language))
        frame.scripts = ["/static/js/transparency.js"]
        return try pages.render("transparency", frame: frame, data: data, status: status)
            .depending(on: [.log, .checkpoint])
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
    func recent(within size: UInt64, _ language: Language) async throws -> [[String: Any]] {
        guard size > 0 else { return [] }
        let entries = try await log.entries(in: (size - min(size, UInt64(Self.recentCount)))..<size).reversed()
        let names = Dictionary(
            try await indicators.list().map { ($0.code, language == .vi ? $0.nameVi : $0.nameEn) },
            uniquingKeysWith: { first, _ in first })
        var unitNames: [String: String] = [:]
        var rows: [[String: Any]] = []
        for entry in entries {
            var row: [String: Any] = [
                "index": entry.index, "key": entry.key, "href": "/transparency?key=\(entry.key.formEncoded)#check",
            ]
            if let fact = PublishedFact(canonicalBytes: entry.data) {
                row["kind"] = pages.text("log_kind_\(fact.kind.rawValue)", language)
                if let indicator = fact.fields["indicator"] {
                    row["indicator"] = indicator
                    row["indicatorName"] = names[indicator] ?? indicator
                }
                if let unit = fact.fields["unit"] {
                    if unitNames[unit] == nil { unitNames[unit] = try await units.get(code: unit)?.name ?? unit }
                    row["unit"] = unit
                    row["unitName"] = unitNames[unit]
                }
                for field in ["period", "value", "approvedAt"] { row[field] = fact.fields[field] }
                if fact.fields["illustrative"] == "true" { row["illustrative"] = true }
            }
            rows.append(row)
        }
        return rows
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
    case noCheckpoint
    case notYetSigned(UInt64)

    var status: HTTPResponse.Status {
        switch self {
        case .keyMissing, .keyTooLong, .factTooLong: .badRequest
        case .unknownKey: .notFound
        case .noCheckpoint: .serviceUnavailable
        case .notYetSigned: .conflict
        }
    }

    func message(_ pages: PageRenderer, _ language: Language) -> String {
        switch self {
        case .keyMissing: pages.text("log_error_keyMissing", language)
        case .keyTooLong:
            pages.text("log_error_keyTooLong", language).replacingOccurrences(
                of: "{max}", with: "\(TransparencyPages.maximumKeyLength)")
        case .factTooLong: pages.text("log_error_factTooLong", language)
        case .unknownKey(let key):
            pages.text("log_error_unknownKey", language).replacingOccurrences(of: "{key}", with: key)
        case .noCheckpoint: pages.text("log_error_noCheckpoint", language)
        case .notYetSigned(let index):
            pages.text("log_error_notYetSigned", language).replacingOccurrences(of: "{index}", with: "\(index)")
        }
    }
}
