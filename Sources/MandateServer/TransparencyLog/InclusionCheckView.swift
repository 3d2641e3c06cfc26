import Foundation
import MandateCore
import MandateStore

/// What the transparency page shows of one inclusion check: each step, the roots, the verdict.
struct InclusionCheckView {
    let check: InclusionCheck
    /// The leaf as logged under the key that was asked for.
    let logged: LogEntry
    let page: PageRequest

    var model: TransparencyModel.Check {
        TransparencyModel.Check(
            verified: check.isVerified, verdict: check.isVerified ? "verified" : "not-verified",
            verdictText: page.t(check.isVerified ? "log_verified" : "log_notVerified"),
            leafIndex: "\(check.leafIndex)", treeSize: page.number(Int(check.treeSize)),
            leafHash: check.leafHash.base64, computedRoot: check.computedRoot.base64,
            steps: check.steps.enumerated().map { offset, step in
                .init(
                    number: offset + 1, left: step.siblingIsLeft, sibling: step.sibling.base64,
                    result: step.result.base64)
            }, signedRoot: check.checkpoint?.rootHash.base64,
            signature: check.checkpoint.map { _ in page.t("log_signatureVerified") }, reason: reason,
            notCanonical: !check.isCanonicalFact, differsFromLog: check.fact != logged.data)
    }

    /// Why the check failed, in words.
    var reason: String? {
        switch check.outcome {
        case .verified: nil
        case .signatureInvalid(let detail): page.t("log_reason_signature", ["detail": detail])
        case .treeSizeMismatch(let proof, let checkpoint):
            page.t("log_reason_size", ["proof": "\(proof)", "checkpoint": "\(checkpoint)"])
        case .proofMalformed(let detail): page.t("log_reason_proof", ["detail": detail])
        case .rootMismatch: page.t("log_reason_root")
        }
    }
}

/// The transparency page: the key, the checkpoint, the latest facts and a check of one fact.
struct TransparencyModel: PageModel {
    struct Checkpoint: Sendable {
        let origin: String
        let size: String
        let root: String
        let rootHex: String
        let signedAt: String
        let note: String
    }

    struct Fact: Sendable {
        let index: UInt64
        let key: String
        let href: String
        let kind: String?
        let indicator: String?
        let indicatorName: String?
        let unit: String?
        let unitName: String?
        let period: String?
        let value: String?
        let approvedAt: String?
        let illustrative: Bool
    }

    struct Step: Sendable {
        let number: Int
        let left: Bool
        let sibling: String
        let result: String
    }

    struct Check: Sendable {
        let verified: Bool
        let verdict: String
        let verdictText: String
        let leafIndex: String
        let treeSize: String
        let leafHash: String
        let computedRoot: String
        let steps: [Step]
        let signedRoot: String?
        let signature: String?
        let reason: String?
        let notCanonical: Bool
        let differsFromLog: Bool
    }

    let verifierKey: String
    let siteURL: String
    let recent: [Fact]
    let checkpoint: Checkpoint?
    var key: String?
    var fact: String?
    var result: Check?
    var error: String?
}
