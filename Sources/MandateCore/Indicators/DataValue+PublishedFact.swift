import Crypto
import Foundation

extension DataValue {
    /// The fact an approved value publishes: what, where, when, how much, and the evidence's
    /// hash — never who entered or approved it. A later correction, once approved, is a new fact
    /// (its key carries the approval time), and the earlier one stays in the log.
    public func publishedFact(illustrative: Bool) throws(ValidationFailure) -> PublishedFact {
        var fields = [
            "indicator": indicator, "unit": unit, "period": period, "value": Self.canonical(value),
            "approvedAt": approvedAt ?? enteredAt, "late": late ? "true" : "false",
        ]
        if let evidence, evidence.hasPrefix("sha256:") { fields["evidence"] = evidence }
        if illustrative { fields["illustrative"] = "true" }
        // The key names the value, the approval time and a digest of the content, so that two
        // approvals in the same instant with different content are still two facts.
        let content = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        let digest = Hex.lowercase(SHA256.hash(data: Data(content.utf8)).prefix(4))
        return try PublishedFact(
            kind: .approvedValue,
            key: "approved-value/\(indicator)/\(unit)/\(period)/\(approvedAt ?? enteredAt)/\(digest)", fields: fields)
    }

    /// The shortest decimal text that reads back as the same number, e.g. "12.5", "3", "0.1".
    static func canonical(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
