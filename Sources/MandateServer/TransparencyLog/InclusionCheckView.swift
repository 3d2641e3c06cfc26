import Foundation
import MandateCore
import MandateStore

/// What the transparency page shows of one inclusion check: each step, the roots, the verdict.
struct InclusionCheckView {
    let check: InclusionCheck
    /// The leaf as logged under the key that was asked for.
    let logged: LogEntry
    let language: Language
    let pages: PageRenderer

    var template: [String: Any] {
        var result: [String: Any] = [
            "verified": check.isVerified, "verdict": check.isVerified ? "verified" : "not-verified",
            "verdictText": text(check.isVerified ? "log_verified" : "log_notVerified"),
            "leafIndex": "\(check.leafIndex)", "treeSize": check.treeSize.formatted(language),
            "leafHash": check.leafHash.base64, "computedRoot": check.computedRoot.base64,
            "steps": check.steps.enumerated().map { offset, step -> [String: Any] in
                [
                    "number": offset + 1, "left": step.siblingIsLeft, "sibling": step.sibling.base64,
                    "result": step.result.base64,
                ]
            },
        ]
        if let checkpoint = check.checkpoint {
            result["signedRoot"] = checkpoint.rootHash.base64
            result["signature"] = text("log_signatureVerified")
        }
        if let reason { result["reason"] = reason }
        if !check.isCanonicalFact { result["notCanonical"] = true }
        if check.fact != logged.data { result["differsFromLog"] = true }
        return result
    }

    /// Why the check failed, in words.
    var reason: String? {
        switch check.outcome {
        case .verified: nil
        case .signatureInvalid(let detail):
            text("log_reason_signature").replacingOccurrences(of: "{detail}", with: detail)
        case .treeSizeMismatch(let proof, let checkpoint):
            text("log_reason_size").replacingOccurrences(of: "{proof}", with: "\(proof)")
                .replacingOccurrences(of: "{checkpoint}", with: "\(checkpoint)")
        case .proofMalformed(let detail): text("log_reason_proof").replacingOccurrences(of: "{detail}", with: detail)
        case .rootMismatch: text("log_reason_root")
        }
    }

    private func text(_ key: String) -> String {
        pages.text(key, language)
    }
}
