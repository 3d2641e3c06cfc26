/// An audit as the API and the form take it.
public struct AuditDraft: Codable, Sendable {
    public var auditedOn: String?
    public var sampled: Int?
    public var wrong: Int?
    public var passed: Bool?
    public var findings: String?
    public var evidence: String?

    public init(
        auditedOn: String?, sampled: Int?, wrong: Int?, passed: Bool?, findings: String? = nil, evidence: String? = nil
    ) {
        self.auditedOn = auditedOn
        self.sampled = sampled
        self.wrong = wrong
        self.passed = passed
        self.findings = findings
        self.evidence = evidence
    }

    /// The audit, or every problem with it by field in both languages.
    public func audit(today: CivilDate) throws(ValidationFailure) -> DatabaseAudit {
        var problems = FieldProblems()
        let day = CatalogueDraft.date("auditedOn", auditedOn, today: today, &problems)
        if day == nil, (auditedOn ?? "").isEmpty {
            problems.fail("auditedOn", "the day of the audit is required", "cần ghi ngày kiểm tra")
        }
        let sampled = sampled ?? -1
        if !(1...CatalogueDraft.maximumRecords).contains(sampled) {
            problems.fail("sampled", "how many records were sampled (at least 1)", "số bản ghi đã lấy mẫu (ít nhất 1)")
        }
        let wrong = wrong ?? -1
        if wrong < 0 || wrong > max(sampled, 0) {
            problems.fail(
                "wrong", "how many sampled records were wrong (0 to the number sampled)",
                "số bản ghi mẫu bị sai (từ 0 đến số bản ghi mẫu)")
        }
        if passed == nil {
            problems.fail("passed", "say whether the audit passed", "cần ghi kết quả đạt hay không đạt")
        }
        let findings = CatalogueDraft.text("findings", findings, maximum: 2_000, multiline: true, &problems)
        let evidence = CatalogueDraft.link("evidence", evidence, &problems)
        try problems.check()
        return DatabaseAudit(
            auditedOn: day!, sampled: sampled, wrong: wrong, passed: passed!, findings: findings, evidence: evidence)
    }
}
